"""Integración con Recursos Humanos."""
