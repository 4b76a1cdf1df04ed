"""End dates of orden de servicio accounts: the daily notice to the infrastructure coordinator."""

import datetime

import pytest

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.iam.actions import do_remove_account
from mapro.iam.reminders import do_notify_due_for_removal
from mapro.iam.tasks import notify_due_for_removal
from mapro.iam.testing import make_account, make_person
from mapro.notifications.models import OutboxMessage
from mapro.organization.actions import do_update_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def _os_account(end, **kwargs):
    person = make_person("Luis", "Soto Paz", regime="orden_servicio")
    start = end - datetime.timedelta(days=60)
    return make_account(
        person,
        regime="orden_servicio",
        granted_on=start,
        service_start=start,
        service_end=end,
        **kwargs,
    )


@pytest.fixture
def coordinator():
    user = make_user("coord-infraestructura")
    user.email = "infraestructura@mindef.test"
    user.save(update_fields=["email"])
    return user


def test_one_mail_a_day_listing_the_accounts_past_their_end(coordinator):
    due = _os_account(datetime.date(2026, 3, 9))
    _os_account(datetime.date(2026, 3, 10))  # ends today: not yet due
    removed = _os_account(datetime.date(2026, 2, 1), account_name="lsoto9")
    do_remove_account(removed, actor=None, reason="Fin")
    message = do_notify_due_for_removal(on=TODAY)
    assert message.recipients == ["infraestructura@mindef.test"]
    assert due.account_name in message.body_text and "lsoto9" not in message.body_text
    assert "1 cuenta(s) por eliminar" in message.subject
    assert do_notify_due_for_removal(on=TODAY).pk == message.pk
    assert OutboxMessage.objects.count() == 1
    assert AuditEvent.objects.filter(action="account.due_notice").count() == 1


def test_nothing_due_or_nobody_to_tell_writes_nothing():
    _os_account(datetime.date(2026, 4, 1))
    assert do_notify_due_for_removal(on=TODAY) is None
    _os_account(datetime.date(2026, 3, 1), account_name="otro")
    assert do_notify_due_for_removal(on=TODAY) is None  # no coordinator with a mail address
    assert not OutboxMessage.objects.exists()


def test_periodic_task_runs_the_notice(coordinator):
    _os_account(datetime.date.today() - datetime.timedelta(days=1))
    notify_due_for_removal.call_local()
    assert OutboxMessage.objects.filter(key__startswith="iam:por-eliminar:").count() == 1


def test_a_coordinator_whose_term_ended_is_not_told(coordinator):
    """Recipients are the current holders of the role: the person's own term counts."""
    _os_account(datetime.date(2026, 3, 9))
    do_update_person(coordinator.person, actor=None, valid_until=TODAY - datetime.timedelta(1))
    assert do_notify_due_for_removal(on=TODAY) is None
    do_update_person(coordinator.person, actor=None, valid_until=TODAY)
    assert do_notify_due_for_removal(on=TODAY).recipients == ["infraestructura@mindef.test"]
