from .definitions import Procedure, ProcedureVersion

__all__ = ["Procedure", "ProcedureVersion"]
