"""Actions: permission (admin only), validation, conflicts and audit events."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.organization.actions import (
    do_assign_role,
    do_create_person,
    do_create_unit,
    do_end_role_assignment,
    do_update_person,
    do_update_unit,
)
from mapro.organization.models import Person, RoleAssignment

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _person_data(org, **overrides):
    return {
        "dni": "45678912",
        "first_name": "María",
        "last_name": "Torres Luna",
        "unit": org["OGTIE-ESTADISTICA"],
        "regime": "cas",
        **overrides,
    }


def test_create_person_is_audited_with_actor(org, staff):
    person = do_create_person(actor=staff, cargo="Analista", **_person_data(org))
    event = AuditEvent.objects.filter(action="person.create").get()
    assert event.actor == staff
    assert event.object_id == str(person.pk)
    assert event.after["dni"] == "45678912"
    assert event.after["unit"] == "OGTIE-ESTADISTICA"


@pytest.mark.parametrize(
    "actor_kind",
    ["anonymous", "plain", "inactive_staff"],
)
def test_only_staff_may_change_the_organization(org, staff, plain_user, actor_kind):
    if actor_kind == "anonymous":
        actor = AnonymousUser()
    elif actor_kind == "plain":
        actor = plain_user
    else:
        staff.is_active = False
        staff.save()
        actor = staff
    with pytest.raises(Forbidden):
        do_create_person(actor=actor, **_person_data(org))
    person = do_create_person(actor=None, **_person_data(org))
    with pytest.raises(Forbidden):
        do_update_person(person, actor=actor, cargo="x")
    with pytest.raises(Forbidden):
        do_assign_role(person, "resp-bd", actor=actor)
    with pytest.raises(Forbidden):
        do_create_unit(actor=actor, code="NUEVA", name="Nueva")
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_superuser_without_staff_flag_may_administer(org):
    boss = get_user_model().objects.create_superuser("boss", password="x")
    boss.is_staff = False
    boss.save()
    do_create_person(actor=boss, **_person_data(org))


@pytest.mark.parametrize("dni", ["1234567", "123456789", "1234567a", "", " 12 3456"])
def test_dni_must_have_eight_digits(org, staff, dni):
    with pytest.raises(InvalidInput) as exc:
        do_create_person(actor=staff, **_person_data(org, dni=dni))
    assert exc.value.errors["dni"] == ["El DNI debe tener exactamente 8 dígitos."]
    assert Person.objects.count() == 0


def test_dni_is_unique_and_other_fields_checked(org, staff):
    do_create_person(actor=staff, **_person_data(org))
    with pytest.raises(InvalidInput) as exc:
        do_create_person(
            actor=staff,
            **_person_data(
                org, first_name=" ", regime="x", email="no-es-correo",
                valid_from=TODAY, valid_until=TODAY - DAY,
            ),
        )  # fmt: skip
    errors = exc.value.errors
    assert errors["dni"] == ["Ya existe una persona con el DNI 45678912."]
    assert set(errors) == {"dni", "first_name", "regime", "email", "valid_until"}


def test_update_records_only_real_changes(org, staff):
    person = do_create_person(actor=staff, **_person_data(org))
    do_update_person(person, actor=staff, cargo="", first_name="María")
    assert not AuditEvent.objects.filter(action="person.update").exists()
    do_update_person(person, actor=staff, cargo="Jefa", unit=org["OGTIE"])
    event = AuditEvent.objects.get(action="person.update")
    assert event.before["cargo"] == "" and event.after["cargo"] == "Jefa"
    assert event.before["unit"] == "OGTIE-ESTADISTICA" and event.after["unit"] == "OGTIE"
    with pytest.raises(InvalidInput) as exc:
        do_update_person(person, actor=staff, dni="123")
    assert "dni" in exc.value.errors
    with pytest.raises(InvalidInput):
        do_update_person(person, actor=staff, is_staff=True)  # not a person field


def test_unit_scoped_role_needs_a_unit(org, staff):
    person = do_create_person(actor=staff, **_person_data(org))
    with pytest.raises(InvalidInput) as exc:
        do_assign_role(person, "director-uo", actor=staff)
    assert "unit" in exc.value.errors
    assignment = do_assign_role(person, "director-uo", actor=staff, unit=org["DIGEP"])
    assert assignment.unit == org["DIGEP"]
    event = AuditEvent.objects.get(action="role_assignment.create")
    assert event.after == {
        "person": "45678912", "role": "director-uo", "unit": "DIGEP",
        "valid_from": None, "valid_until": None,
    }  # fmt: skip


def test_assignment_dates_and_overlaps(org, staff):
    person = do_create_person(actor=staff, **_person_data(org))
    with pytest.raises(InvalidInput) as exc:
        do_assign_role(person, "resp-bd", actor=staff, valid_from=TODAY, valid_until=TODAY - DAY)
    assert "valid_until" in exc.value.errors
    with pytest.raises(InvalidInput):
        do_assign_role(person, "no-existe", actor=staff)
    do_assign_role(person, "resp-bd", actor=staff, valid_until=TODAY + 10 * DAY)
    with pytest.raises(Conflict):
        do_assign_role(person, "resp-bd", actor=staff, valid_from=TODAY + 10 * DAY)
    # After the first one ends, a new period is fine.
    do_assign_role(person, "resp-bd", actor=staff, valid_from=TODAY + 11 * DAY)
    # Same role in another scope is another assignment.
    do_assign_role(person, "personal", actor=staff, unit=org["DIGEP"])
    do_assign_role(person, "personal", actor=staff, unit=org["DIRAB"])
    assert RoleAssignment.objects.filter(person=person).count() == 4


def test_assignment_cannot_start_after_the_person_leaves(org, staff):
    person = do_create_person(actor=staff, **_person_data(org, valid_until=TODAY))
    with pytest.raises(InvalidInput) as exc:
        do_assign_role(person, "resp-bd", actor=staff, valid_from=TODAY + DAY)
    assert "valid_from" in exc.value.errors


def test_end_role_assignment(org, staff):
    person = do_create_person(actor=staff, **_person_data(org))
    old = do_assign_role(person, "resp-bd", actor=staff, valid_from=TODAY - 30 * DAY)
    ended = do_end_role_assignment(old, actor=staff)
    assert ended.valid_until == TODAY - DAY
    event = AuditEvent.objects.get(action="role_assignment.end")
    assert event.before["valid_until"] is None
    assert event.after["valid_until"] == (TODAY - DAY).isoformat()
    # Ending again on the same day records nothing.
    do_end_role_assignment(old, actor=staff)
    assert AuditEvent.objects.filter(action="role_assignment.end").count() == 1
    # Cannot end before it starts.
    new = do_assign_role(person, "resp-soporte", actor=staff, valid_from=TODAY)
    with pytest.raises(InvalidInput):
        do_end_role_assignment(new, actor=staff)
    do_end_role_assignment(new, actor=staff, last_day=TODAY)
    with pytest.raises(Forbidden):
        do_end_role_assignment(old, actor=AnonymousUser(), last_day=TODAY)


def test_units_keep_a_tree_without_cycles(org, staff):
    with pytest.raises(InvalidInput) as exc:
        do_update_unit(org["OGTIE"], actor=staff, parent=org["OGTIE-INNOVACION"])
    assert "parent" in exc.value.errors
    with pytest.raises(InvalidInput):
        do_create_unit(actor=staff, code="OGTIE", name="Duplicada")
    with pytest.raises(InvalidInput):
        do_create_unit(actor=staff, code="minúsculas", name="x")
    # Moving a unit moves its subtree.
    do_update_unit(org["OGTIE"], actor=staff, parent=org["VRD"])
    team = org["OGTIE-INNOVACION"]
    team.refresh_from_db()
    assert team.path.startswith(org["VRD"].path)
    assert AuditEvent.objects.filter(action="unit.update").count() == 1
