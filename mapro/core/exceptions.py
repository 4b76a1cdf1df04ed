"""Failure kinds shared by every domain, each mapped once to an HTTP status and a Spanish message.

Actions raise these; the API exception handler and the HTML views translate them. A domain may
subclass them (``TaskAlreadyCompleted(Conflict)``) to say more precisely what went wrong.
"""

from typing import Any


class MaproError(Exception):
    status_code = 400
    default_message = "La solicitud no es válida."

    def __init__(self, message: str | None = None, *, errors: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.errors = errors or {}
        super().__init__(self.message)


class InvalidInput(MaproError):
    """Bad input: ``errors`` maps field names to lists of Spanish messages."""

    status_code = 400
    default_message = "Los datos enviados no son válidos."


class Forbidden(MaproError):
    status_code = 403
    default_message = "No tiene permiso para realizar esta acción."


class NotFound(MaproError):
    status_code = 404
    default_message = "No encontrado."


class Conflict(MaproError):
    status_code = 409
    default_message = "La operación entra en conflicto con el estado actual."


class InvalidTransition(Conflict):
    default_message = "La transición no está permitida en el estado actual."
