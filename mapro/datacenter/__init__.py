"""Centro de datos."""
