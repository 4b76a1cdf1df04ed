"""Every change to help-desk data goes through these actions (see ``tickets`` and
``resolution``). Views, API views, procedure steps and jobs only parse input and call them.

``_notify`` (in ``_common``) is the single call site of the mail outbox.
"""

from .classification import do_reclassify_ticket
from .resolution import (
    do_attach_file,
    do_autoclose_ticket,
    do_close_ticket,
    do_confirm_ticket_solution,
    do_reject_solution,
    do_reopen_ticket,
    do_resolve_ticket,
    reopen_deadline,
)
from .steps import StepOutcome, do_complete_ticket_step
from .surveys import do_answer_survey, survey_open, survey_report
from .tickets import (
    do_add_ticket_information,
    do_assign_each_ticket,
    do_assign_ticket,
    do_assign_tickets,
    do_comment_ticket,
    do_create_ticket,
    do_link_ticket_instance,
    do_put_ticket_on_hold,
    do_return_ticket,
    do_start_ticket,
    next_ticket_number,
)

__all__ = [
    "StepOutcome",
    "do_add_ticket_information",
    "do_answer_survey",
    "do_assign_each_ticket",
    "do_assign_ticket",
    "do_assign_tickets",
    "do_attach_file",
    "do_autoclose_ticket",
    "do_close_ticket",
    "do_comment_ticket",
    "do_complete_ticket_step",
    "do_confirm_ticket_solution",
    "do_create_ticket",
    "do_link_ticket_instance",
    "do_put_ticket_on_hold",
    "do_reclassify_ticket",
    "do_reject_solution",
    "do_reopen_ticket",
    "do_resolve_ticket",
    "do_return_ticket",
    "do_start_ticket",
    "next_ticket_number",
    "reopen_deadline",
    "survey_open",
    "survey_report",
]
