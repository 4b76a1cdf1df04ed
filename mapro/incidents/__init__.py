"""Incidentes de seguridad."""
