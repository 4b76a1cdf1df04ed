from .logbook import LogbookEntry
from .visits import ContractorDocument, DipecCheck, Visit, VisitPerson

__all__ = ["ContractorDocument", "DipecCheck", "LogbookEntry", "Visit", "VisitPerson"]
