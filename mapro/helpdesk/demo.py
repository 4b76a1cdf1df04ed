"""How a demo case that starts with a request is registered: as a ticket, like the portal's form.

``mapro seed --demo`` (``mapro.procedures.demo``) walks each procedure with the real actions.
A start whose first activity registers the request as a ticket (S04.03.04.02 "Ingresar ticket
de atención", an account request of S04.03.01.01…) is not started on the engine: the request is
a ticket of the procedure's category, registered with ``do_create_ticket`` (which starts the
procedure linked to it, ``procedure_effects.start_procedure_for_ticket``), answering the
category's requirements with the seed's synthesized values and a small PDF for each file.
The requester is the demo ``personal``; a first activity of the desk (``operador-mesa``) is the
desk registering it for that person by telephone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mapro.procedures.demo import DEMO_PDF
from mapro.procedures.models import Instance, Procedure

from . import access
from .actions import do_create_ticket
from .actions._common import file_fields
from .choices import Channel
from .models import Ticket
from .request_forms import requirements_of
from .selectors import category_for_procedure

#: The demo person who asks (organization.seeding's demo user of the role ``personal``).
REQUESTER = "personal"


def open_demo_request(
    code: str, start: str, *, actor: Any, fill: Callable[[dict[str, Any]], dict[str, Any]]
) -> Instance | None:
    """Register a demo ticket of procedure ``code``'s category; the case it started, if any."""
    category = category_for_procedure(code)
    procedure = Procedure.objects.filter(code=code).first()
    if category is None or procedure is None:
        return None
    requirements = requirements_of(category)
    data = fill(requirements)
    files = {
        name: SimpleUploadedFile(f"{name}.pdf", DEMO_PDF, content_type="application/pdf")
        for name in file_fields(category)
    }
    for name in files:
        data.pop(name, None)
    desk = access.is_desk(actor) and actor.username != REQUESTER
    requester = access.person_of(type(actor).objects.filter(username=REQUESTER).first())
    ticket = do_create_ticket(
        actor=actor,
        category=category,
        subject=procedure.name,
        description=f"Solicitud de demostración de «{procedure.name}» ({code}).",
        data=data,
        files=files,
        requester=requester if desk else None,
        channel=Channel.TELEFONO if desk else None,
    )
    return Ticket.objects.get(pk=ticket.pk).instance
