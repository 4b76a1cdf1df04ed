from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "mapro.helpdesk"
    label = "helpdesk"
    verbose_name = "Mesa de ayuda"

    def ready(self) -> None:
        # Procedures act on tickets through this one handler (mapro/procedures/effects.py), and
        # every effect handler reads the instance's ticket as ``EffectCall.ticket``.
        from mapro.procedures.cases import register_case_tickets
        from mapro.procedures.effects import register_effect_handler, register_ticket_lookup
        from mapro.procedures.internal import (
            register_internal_effect,
            register_internal_reader,
            register_public_effect,
        )

        from .access import reads_internal_answers
        from .procedure_effects import handle_ticket_effect, linked_ticket
        from .selectors import tickets_of_instances

        register_effect_handler("ticket", handle_ticket_effect)
        register_ticket_lookup(linked_ticket)
        # The inboxes show each case's ticket (number, subject, requester): one batched query.
        register_case_tickets(tickets_of_instances)
        # {ticket: annotate} makes the step's answers an internal note: internal everywhere;
        # {ticket: close} makes them the ticket's solution, which the requester reads.
        register_internal_effect("ticket", "annotate")
        register_public_effect("ticket", "close")
        register_internal_reader(reads_internal_answers)
        # One way to ask: a procedure that starts with a ticket is asked for in the portal.
        from mapro.procedures.entries import register_request_entry

        from .selectors import request_form_url

        register_request_entry(request_form_url)
        # ``mapro seed --demo`` registers such a procedure's demo requests as tickets too.
        from mapro.procedures.demo import register_request_opener

        from .demo import open_demo_request

        register_request_opener(open_demo_request)
        # A phishing report read from the mailbox proposes its analysis and block list
        # (S04.04.00.02, activities 5, 6 and 9; helpdesk.mailin.prefill).
        from mapro.procedures.task_forms import register_form_proposal

        from .mailin import prefill

        register_form_proposal(prefill.PHISHING, 5, prefill.propose_analysis)
        register_form_proposal(prefill.PHISHING, 6, prefill.propose_blocks)
        register_form_proposal(prefill.PHISHING, 9, prefill.propose_blocks)
        # S04.03.04.02: the closing activity proposes the solution the step before described
        # (shown only to whoever may read that step's answers).
        from .procedure_steps import SOLUTION_PROPOSALS, propose_solution

        for code, n, before in SOLUTION_PROPOSALS:
            register_form_proposal(code, n, propose_solution, reads=(before,))
