"""Failure kinds of the procedure engine, each a subclass of the shared ones in mapro.core.

The API exception handler maps them through their base class (400/403/404/409); the engine
failures (an instance that cannot go on) are server-side defects of a procedure and answer 500,
except at a start, which stores nothing and answers 409 (``StartRefused``).
"""

from __future__ import annotations

from mapro.core.exceptions import Conflict, InvalidInput, InvalidTransition, MaproError, NotFound


class ProcedureNotFound(NotFound):
    default_message = "Procedimiento no encontrado."


class ProcedureNotPublished(Conflict):
    default_message = "El procedimiento no tiene una versión publicada."


class UnknownStart(InvalidInput):
    default_message = "Indique una forma de inicio válida del procedimiento."


class WorkItemNotFound(NotFound):
    default_message = "Tarea no encontrada."


class InstanceNotFound(NotFound):
    default_message = "Expediente no encontrado."


class TaskAlreadyCompleted(Conflict):
    default_message = "La tarea ya no está pendiente (fue completada o anulada)."


class ConcurrentUpdate(Conflict):
    default_message = (
        "Otra persona actualizó este expediente al mismo tiempo; "
        "vuelva a cargarlo e intente de nuevo."
    )


class InstanceNotRunning(InvalidTransition):
    default_message = "El expediente ya no está en curso."


class EngineError(MaproError):
    """The workflow engine could not go on: a defect of the procedure definition, not of input."""

    status_code = 500
    default_message = "El motor de procedimientos no pudo continuar; el expediente quedó fallido."


class StartRefused(EngineError):
    """The engine could not start an instance (a bad condition before the first task, no unit
    for the first activity's ``unit_from``…): nothing was stored, so it is a conflict with the
    procedure's current definition (409), not a server failure. As Camunda refuses a start
    whose synchronous part fails before the first wait state: the transaction is rolled back
    and the caller gets the cause; no instance, no task, no ticket. Still an ``EngineError`` so
    that the callers which note an engine failure (the help desk's ticket) keep doing so."""

    status_code = 409
    default_message = "No se pudo iniciar el expediente; no se guardó nada."
    #: The engine's own message (what a caller that words the refusal itself quotes).
    cause: str = ""

    @classmethod
    def because(cls, code: str, error: EngineError) -> StartRefused:
        refused = cls(
            f"No se pudo iniciar el expediente de {code}: {error.message.rstrip('.')}. "
            "No se guardó nada; informe al responsable del procedimiento."
        )
        refused.cause = error.message
        return refused


class InstanceStuck(EngineError):
    """A running instance has no ready or waiting task: it would hang silently."""

    default_message = (
        "El expediente quedó sin tareas pendientes sin haber terminado; se marcó como fallido."
    )


class LoopLimitExceeded(InstanceStuck):
    """The task tree grew past the safe depth (too many loop-backs)."""

    default_message = (
        "El expediente superó el número máximo de repeticiones de un ciclo; se marcó como fallido."
    )


class ExpressionNotAllowed(EngineError):
    """A gateway condition uses something outside the restricted evaluator's allow-list."""

    default_message = "Una condición del procedimiento usa una expresión no permitida."


class EmptyItemList(EngineError):
    """A multi-instance activity started with no items: it would open no task at all.

    Raised inside the engine; the actions turn it into a field error (400) on the list's field
    and store nothing of the step, so the instance never waits on zero tasks.
    """

    default_message = "La lista de la que depende la siguiente actividad está vacía."

    def __init__(self, message: str | None = None, *, field: str = "", errors=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(message, errors=errors)
        self.field = field
