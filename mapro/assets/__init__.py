"""Equipos, dispositivos y restauraciones."""
