from .categories import Category, SlaTarget
from .tickets import Attachment, Ticket, TicketAction, TicketSequence

__all__ = ["Attachment", "Category", "SlaTarget", "Ticket", "TicketAction", "TicketSequence"]
