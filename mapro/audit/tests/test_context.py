"""Where an event comes from: a request, a command or a worker job, without the action knowing."""

import sys

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from huey.contrib.djhuey import HUEY

from mapro.audit.models import AuditEvent
from mapro.core.context import current_context, worker_context
from mapro.core.management.base import AuditedCommand
from mapro.core.middleware import RequestContextMiddleware

from .helpers import add_event

pytestmark = pytest.mark.django_db


def test_request_id_address_and_source_come_from_the_request(make_user):
    user = make_user("operador-mesa")

    def view(request):
        add_event(actor=request.user, action="ticket.assign")
        return HttpResponse("ok")

    request = RequestFactory().post("/mesa/tickets/1/asignar/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    response = RequestContextMiddleware(view)(request)
    event = AuditEvent.objects.get(action="ticket.assign")  # make_user audits its own events
    assert event.source == "web"
    assert event.client_address == "10.1.2.3"
    assert event.request_id == response["X-Request-ID"]
    assert event.actor_id == user.pk
    assert event.compute_hash() == event.hash


def test_api_requests_are_marked_api():
    def view(request):
        add_event(action="task.complete")
        return HttpResponse("ok")

    RequestContextMiddleware(view)(RequestFactory().post("/api/v1/tasks/1/complete/"))
    assert AuditEvent.objects.get().source == "api"


def test_without_any_context_the_source_is_system():
    assert add_event().source == "system"


class _RecordingCommand(AuditedCommand):
    def handle(self, *args, **options):
        add_event(action="registro.import")
        add_event(action="registro.import")


def test_audited_command_marks_events_as_command():
    call_command(_RecordingCommand())
    first, second = AuditEvent.objects.order_by("id")
    assert first.source == second.source == "command"
    assert first.request_id == second.request_id  # one run, one request id
    assert current_context().source == "system"  # and the context is restored after


@pytest.mark.django_db(transaction=True)  # the command closes the connection when it ends
def test_mapro_cli_runs_every_command_in_a_command_context(monkeypatch):
    """`mapro shell -c ...` goes through mapro.cli like any other command."""
    from mapro import cli

    code = (
        "from django.db import transaction; from mapro.audit.actions import record_event\n"
        "with transaction.atomic(): record_event(actor=None, action='consola.prueba')"
    )
    monkeypatch.setattr(sys, "argv", ["mapro", "shell", "--no-startup", "-c", code])
    cli.main()
    event = AuditEvent.objects.get(action="consola.prueba")
    assert event.source == "command"
    assert event.request_id


@HUEY.task()
def _audited_task(label):
    add_event(action=label)


def test_huey_tasks_run_in_a_worker_context():
    HUEY.immediate = True  # runs the task in this thread through Huey's own execute path
    try:
        result = _audited_task("inventario.sync")
    finally:
        HUEY.immediate = False
    event = AuditEvent.objects.get(action="inventario.sync")
    assert event.source == "worker"
    assert event.request_id == str(result.id)
    assert current_context().source == "system"  # the hook restored the caller's context


def test_worker_context_as_decorator_gives_each_run_its_own_request_id():
    @worker_context()
    def tick():
        return add_event(action="agenda.tick")

    first, second = tick(), tick()
    assert first.source == second.source == "worker"
    assert first.request_id != second.request_id
