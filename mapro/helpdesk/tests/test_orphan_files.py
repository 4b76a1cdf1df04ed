"""Orphan attachment files (stored by a transaction that rolled back) are deleted after an hour
by ``mapro helpdesk_clean_files`` and the hourly task; referenced files never are. On a real
temporary MEDIA_ROOT (the ``org`` fixture)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from mapro.audit.models import AuditEvent
from mapro.helpdesk.actions import do_attach_file
from mapro.helpdesk.models import Attachment
from mapro.helpdesk.tasks import clean_orphan_attachment_files
from mapro.helpdesk.testing import ticket_in_status

from .helpers import requester_user, upload

pytestmark = pytest.mark.django_db

TWO_HOURS = 2 * 3600


class Rollback(Exception):
    pass


def _age(path: Path, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def _files(media: Path) -> set[str]:
    root = media / "helpdesk"
    return {p.relative_to(media).as_posix() for p in root.rglob("*") if p.is_file()}


def _orphan(user, ticket, name: str) -> str:
    """A file attached inside a transaction that then rolls back: the file stays, the row not."""
    before = set(Attachment.objects.values_list("stored_name", flat=True))
    stored: list[str] = []
    with pytest.raises(Rollback), transaction.atomic():
        (attachment,) = do_attach_file(ticket, actor=user, files=[upload(name)])
        stored.append(attachment.stored_name)
        raise Rollback
    assert set(Attachment.objects.values_list("stored_name", flat=True)) == before
    return stored[0]


@pytest.fixture
def scene(org, settings):
    media = Path(settings.MEDIA_ROOT)
    user = requester_user()
    ticket = ticket_in_status(user.person)
    (kept,) = do_attach_file(ticket, actor=user, files=[upload("acta.pdf")])
    old_orphan = _orphan(user, ticket, "perdido.pdf")
    young_orphan = _orphan(user, ticket, "reciente.pdf")
    foreign = media / "helpdesk" / "LEAME.txt"
    foreign.write_text("no es un adjunto")
    for name in [kept.stored_name, old_orphan]:
        _age(media / name, TWO_HOURS)
    _age(foreign, TWO_HOURS)
    assert {kept.stored_name, old_orphan, young_orphan, "helpdesk/LEAME.txt"} == _files(media)
    return {
        "media": media,
        "kept": kept.stored_name,
        "old_orphan": old_orphan,
        "young_orphan": young_orphan,
    }


def _events():
    return list(AuditEvent.objects.filter(action="attachment.clean_orphans"))


def test_command_deletes_only_old_unreferenced_files_and_audits_the_count(scene, capsys):
    call_command("helpdesk_clean_files")
    left = _files(scene["media"])
    assert scene["old_orphan"] not in left
    # The referenced file, the file of a transaction that may still be open (younger than an
    # hour) and a file that is not one of our generated names all stay.
    assert {scene["kept"], scene["young_orphan"], "helpdesk/LEAME.txt"} == left
    (event,) = _events()
    assert event.actor_id is None and event.after["count"] == 1
    assert event.after["names"] == [scene["old_orphan"]]
    assert "Eliminados 1 archivo(s)" in capsys.readouterr().out
    # Nothing left to do: no file deleted, no second event.
    call_command("helpdesk_clean_files")
    assert _files(scene["media"]) == left and len(_events()) == 1


def test_dry_run_lists_without_deleting(scene, capsys):
    call_command("helpdesk_clean_files", "--dry-run")
    out = capsys.readouterr().out
    assert "Se eliminarían 1 archivo(s)" in out and scene["old_orphan"] in out
    assert scene["old_orphan"] in _files(scene["media"]) and _events() == []


def test_min_age_cannot_go_below_an_hour(scene):
    call_command("helpdesk_clean_files", "--min-age-minutes", "0")
    assert scene["young_orphan"] in _files(scene["media"])


def test_the_hourly_task_runs_the_same_cleanup(scene):
    clean_orphan_attachment_files.call_local()
    assert scene["old_orphan"] not in _files(scene["media"])
    assert scene["kept"] in _files(scene["media"])
    assert [e.after["count"] for e in _events()] == [1]
