"""Base de conocimiento."""
