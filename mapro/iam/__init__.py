"""Cuentas, accesos y privilegios."""
