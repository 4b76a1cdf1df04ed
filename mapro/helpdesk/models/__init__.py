from .categories import Category, SlaTarget
from .inbound import InboundMail, InboundStatus, MailboxKind
from .tickets import Attachment, Ticket, TicketAction, TicketSequence

__all__ = [
    "Attachment",
    "Category",
    "InboundMail",
    "InboundStatus",
    "MailboxKind",
    "SlaTarget",
    "Ticket",
    "TicketAction",
    "TicketSequence",
]
