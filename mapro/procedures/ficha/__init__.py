"""Fichas as data: loading (with line numbers), validation, BPMN compilation and hashing."""
