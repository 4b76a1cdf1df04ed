"""Failure kinds of the HR integration, mapped by the shared API handler through their status."""

from mapro.core.exceptions import Conflict, InvalidInput, MaproError


class WebhookUnauthorized(MaproError):
    """The call is not signed by the HR system, or its timestamp is stale (401)."""

    status_code = 401
    default_message = "Llamada no autorizada."


class UnknownPerson(InvalidInput):
    """The leaver alert names a DNI of nobody registered (422: well formed, not processable;
    an InvalidInput so that the answer names the field)."""

    status_code = 422
    default_message = "No hay una persona registrada con ese DNI."


class EventIdReused(Conflict):
    """The same event id arrived with a different body."""

    default_message = "El id del evento ya se recibió con otro contenido."


class WebhookUnavailable(MaproError):
    """The webhook cannot work now (no secret configured, procedure not published) (503)."""

    status_code = 503
    default_message = "El webhook no está disponible."
