from .categories import Category, SlaTarget
from .counters import TicketCount, TicketDayCount
from .inbound import InboundMail, InboundStatus, MailboxKind
from .surveys import RATINGS, TicketSurvey
from .tickets import Attachment, Ticket, TicketAction, TicketSequence

__all__ = [
    "RATINGS",
    "Attachment",
    "Category",
    "InboundMail",
    "InboundStatus",
    "MailboxKind",
    "SlaTarget",
    "Ticket",
    "TicketAction",
    "TicketCount",
    "TicketDayCount",
    "TicketSequence",
    "TicketSurvey",
]
