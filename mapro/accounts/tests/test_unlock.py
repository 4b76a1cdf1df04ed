"""The owner lifts their own login wait with a code mailed to them (issue 13, login item).

Real mail: the code travels over SMTP to the loopback server, and the tests read it from the
mail received, as the owner would.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mapro.accounts import unlock
from mapro.accounts.models import LoginThrottle, UnlockCode
from mapro.audit.models import AuditEvent
from mapro.core.testing import DEFAULT_PASSWORD, make_user
from mapro.notifications.testing import mail_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
UNLOCK = reverse("accounts:unlock")
OWNER_ADDRESS = "10.0.0.7"
ATTACKER_ADDRESS = "10.0.0.66"


@pytest.fixture(autouse=True)
def _clock_stands_still():
    # The first waits over the limit last 1-2 s (throttling.delay): on a loaded machine more
    # than that passed between two steps of a test, which then found the attacker's wait over.
    # The mail still travels in real time (the SMTP wait reads time.monotonic, not pinned).
    with time_machine.travel(timezone.now(), tick=False):
        yield


@pytest.fixture
def owner(settings, smtp_server):
    settings.LOGIN_MAX_FAILURES = 3
    settings.LOGIN_MAX_ADDRESSES_PER_ACCOUNT = 2
    user = make_user("operador-mesa")
    user.email = "titular@mindef.gob.pe"
    user.save()
    return user


def _fail(client, username, address, times):
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "mala"}, REMOTE_ADDR=address)


def _log_in(client, user, address):
    response = client.post(
        LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=address
    )
    return response.status_code == 302


def _code(smtp_server) -> str:
    # Generous: under a loaded machine the mail thread can lag (a failing test only waits longer).
    [mail] = smtp_server.wait_for(1, timeout=30)
    return re.search(r"\b(\d{6})\b", mail_text(mail)).group(1)


def test_the_owner_unlocks_with_the_mailed_code_and_the_attackers_pair_keeps_waiting(
    client, owner, smtp_server
):
    _fail(client, owner.username, ATTACKER_ADDRESS, 12)  # the attacker's pair waits
    _fail(client, owner.username, OWNER_ADDRESS, 12)  # the account waits too (two addresses)
    assert not _log_in(client, owner, OWNER_ADDRESS)

    response = client.post(UNLOCK, {"usuario": owner.username}, REMOTE_ADDR=OWNER_ADDRESS)
    assert response.status_code == 200
    assert "le enviamos un código" in response.content.decode()
    code = _code(smtp_server)
    [mail] = smtp_server.messages
    assert mail["To"] == "titular@mindef.gob.pe"
    assert not UnlockCode.objects.filter(code_hash__contains=code).exists()  # only its HMAC

    response = client.post(
        UNLOCK, {"usuario": owner.username, "codigo": code}, REMOTE_ADDR=OWNER_ADDRESS
    )
    assert response.status_code == 302
    assert _log_in(client, owner, OWNER_ADDRESS)
    # Only the owner's waits were lifted: the attacker's address still waits on the account.
    assert LoginThrottle.objects.filter(
        scope=LoginThrottle.Scope.PAIR,
        key__endswith=f"|{ATTACKER_ADDRESS}",
        locked_until__gt=timezone.now(),
    ).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="login_unlock").values_list(
            "action", flat=True
        )
    )
    assert actions == ["login_unlock.code_sent", "login_unlock.done"]


def test_a_code_serves_once(client, owner, smtp_server):
    _fail(client, owner.username, OWNER_ADDRESS, 12)
    client.post(UNLOCK, {"usuario": owner.username}, REMOTE_ADDR=OWNER_ADDRESS)
    code = _code(smtp_server)
    data = {"usuario": owner.username, "codigo": code}
    assert client.post(UNLOCK, data, REMOTE_ADDR=OWNER_ADDRESS).status_code == 302
    _fail(client, owner.username, OWNER_ADDRESS, 12)
    response = client.post(UNLOCK, data, REMOTE_ADDR=OWNER_ADDRESS)
    assert response.status_code == 400
    assert unlock.WRONG_CODE in response.content.decode()
    assert not _log_in(client, owner, OWNER_ADDRESS)


def test_an_expired_code_is_refused_and_lifts_nothing(client, owner, smtp_server):
    _fail(client, owner.username, OWNER_ADDRESS, 12)
    client.post(UNLOCK, {"usuario": owner.username}, REMOTE_ADDR=OWNER_ADDRESS)
    code = _code(smtp_server)
    waits = LoginThrottle.objects.count()
    later = timezone.now() + unlock.CODE_LIFETIME + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        response = client.post(
            UNLOCK, {"usuario": owner.username, "codigo": code}, REMOTE_ADDR=OWNER_ADDRESS
        )
    assert response.status_code == 400
    assert LoginThrottle.objects.count() == waits
    assert not AuditEvent.objects.filter(action="login_unlock.done").exists()


def test_wrong_guesses_spend_the_code(client, owner, smtp_server):
    _fail(client, owner.username, OWNER_ADDRESS, 12)
    client.post(UNLOCK, {"usuario": owner.username}, REMOTE_ADDR=OWNER_ADDRESS)
    code = _code(smtp_server)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(unlock.MAX_TRIES):
        response = client.post(
            UNLOCK, {"usuario": owner.username, "codigo": wrong}, REMOTE_ADDR=OWNER_ADDRESS
        )
        assert response.status_code == 400
    response = client.post(
        UNLOCK, {"usuario": owner.username, "codigo": code}, REMOTE_ADDR=OWNER_ADDRESS
    )
    assert response.status_code == 400  # the right code came too late: the code is spent
    assert UnlockCode.objects.get().used_at is not None


def test_the_answer_never_tells_whether_the_account_exists_or_waits(client, owner, smtp_server):
    answers = set()
    for username in (owner.username, "no-existe"):  # the owner does not wait: no mail either
        response = client.post(UNLOCK, {"usuario": username}, REMOTE_ADDR=OWNER_ADDRESS)
        alert = re.search(r'role="status">(.*?)</div>', response.content.decode(), re.S)
        answers.add((response.status_code, " ".join(alert.group(1).split())))
    assert len(answers) == 1
    assert smtp_server.messages == []
    assert not UnlockCode.objects.exists()


def test_an_empty_username_is_named(client):
    response = client.post(UNLOCK, {"usuario": ""})
    assert response.status_code == 400
    assert "Escriba su usuario." in response.content.decode()
