"""``mapro seed`` on an existing install: the categories get the seed's newer values (the
account categories' ``requirements.defaults``) where they still hold an older seed value, never
over an administrator's edit; field by field, audited, idempotent."""

from __future__ import annotations

import dataclasses
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from mapro.audit.models import AuditEvent
from mapro.helpdesk import data, seeding
from mapro.helpdesk.models import Category
from mapro.helpdesk.seeding import EARLIER, fingerprint, refresh_categories

from .helpers import category

pytestmark = pytest.mark.django_db

ACCOUNTS = ("cuentas-creacion", "cuentas-modificacion", "cuentas-privilegios", "cuentas-vpn")


def as_seeded_before_defaults(code: str) -> dict[str, Any]:
    """Make ``code`` what an install seeded before ``requirements.defaults`` holds: the same
    form without ``defaults``, and no record of what the seed wrote."""
    old = {k: v for k, v in category(code).requirements.items() if k != "defaults"}
    Category.objects.filter(code=code).update(requirements=old, seeded={})
    return old


def seed_updates() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="category.seed_update").order_by("id"))


def test_an_older_install_gets_the_defaults_once(org: Any) -> None:
    for code in ACCOUNTS:
        old = as_seeded_before_defaults(code)
        assert fingerprint(old) in EARLIER[code]["requirements"]  # a value a seed really wrote
    assert refresh_categories() == len(ACCOUNTS)
    assert category("cuentas-creacion").requirements["defaults"] == {"tipo_solicitud": "creacion"}
    assert category("cuentas-vpn").requirements["defaults"] == {"tipo_solicitud": "modificacion"}
    events = seed_updates()
    assert len(events) == len(ACCOUNTS)
    first = next(e for e in events if e.object_id == str(category("cuentas-creacion").pk))
    assert "defaults" not in first.before["requirements"]
    assert first.after["requirements"]["defaults"] == {"tipo_solicitud": "creacion"}
    # Idempotent: nothing more to do, nothing more written.
    assert refresh_categories() == 0
    assert len(seed_updates()) == len(ACCOUNTS)
    assert (
        category("cuentas-creacion").seeded["requirements"]
        == category("cuentas-creacion").requirements
    )


def test_an_administrators_form_is_never_overwritten(org: Any) -> None:
    as_seeded_before_defaults("cuentas-creacion")
    edited = {"type": "object", "properties": {}, "required": [], "defaults": {"x": "y"}}
    Category.objects.filter(code="cuentas-vpn").update(requirements=edited, seeded={})
    refresh_categories()
    assert category("cuentas-vpn").requirements == edited  # not a value any seed wrote
    assert "defaults" in category("cuentas-creacion").requirements
    assert {e.object_id for e in seed_updates()} == {str(category("cuentas-creacion").pk)}
    assert "requirements" not in category("cuentas-vpn").seeded  # the admin's is not recorded
    assert refresh_categories() == 0


def test_a_newer_seed_value_follows_the_record_field_by_field(org: Any, monkeypatch) -> None:
    """The record (``Category.seeded``) says what the seed wrote last: a newer seed changes
    the fields still holding it and leaves the one the administrator edited."""
    support = category("soporte-tecnico")
    assert support.seeded["name"] == "Soporte técnico"
    Category.objects.filter(pk=support.pk).update(name="Soporte (editado)")
    newer = tuple(
        dataclasses.replace(item, name="Soporte técnico a usuarios", description="Nueva.")
        if item.code == "soporte-tecnico"
        else item
        for item in data.CATEGORIES
    )
    monkeypatch.setattr(data, "CATEGORIES", newer)
    assert refresh_categories() == 1
    support = category("soporte-tecnico")
    assert support.name == "Soporte (editado)"  # the administrator's
    assert support.description == "Nueva."  # the seed's, as the field still held its value
    [event] = seed_updates()
    assert event.before == {"description": ""} and event.after == {"description": "Nueva."}
    assert refresh_categories() == 0


def test_a_refresh_that_cannot_apply_changes_nothing(org: Any, monkeypatch) -> None:
    """A newer team that is not loaded: the error names it and no category changed, not even
    those updated before it in the same run (one transaction)."""
    as_seeded_before_defaults("cuentas-creacion")
    newer = tuple(
        dataclasses.replace(item, team="OGTIE-NOEXISTE", description="Otra.")
        if item.code == "mantenimiento-equipos"  # the last: the account ones changed before
        else item
        for item in data.CATEGORIES
    )
    monkeypatch.setattr(data, "CATEGORIES", newer)
    before = {c.code: seeding.stored_values(c) for c in Category.objects.all()}
    with pytest.raises(LookupError, match="OGTIE-NOEXISTE"):
        refresh_categories()
    assert {c.code: seeding.stored_values(c) for c in Category.objects.all()} == before
    assert seed_updates() == []


def test_mapro_seed_says_how_many_it_updated(org: Any) -> None:
    as_seeded_before_defaults("cuentas-vpn")
    out = StringIO()
    call_command("seed", stdout=out)
    assert "actualizadas con valores nuevos de la carga: 1." in out.getvalue()
    assert "defaults" in category("cuentas-vpn").requirements
    again = StringIO()
    call_command("seed", stdout=again)
    assert "actualizadas con valores nuevos de la carga: 0." in again.getvalue()
