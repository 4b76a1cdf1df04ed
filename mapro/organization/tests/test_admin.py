"""The organization admin: pages load for staff, are refused to others, and saves are audited."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.organization.actions import do_assign_role
from mapro.organization.models import ExternalOrganization, Person, Role, RoleAssignment, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("jefe", password="x")


@pytest.fixture
def person(make_person):
    return make_person("DIGEP", roles=[("personal", "DIGEP")])


def _pages(org, person):
    assignment = person.assignments.get()
    role = Role.objects.get(code="resp-bd")
    org_ext = ExternalOrganization.objects.get(code="EP")
    return [
        reverse("admin:index"),
        reverse("admin:organization_unit_changelist"),
        reverse("admin:organization_unit_add"),
        reverse("admin:organization_unit_change", args=[org["OGTIE"].pk]),
        reverse("admin:organization_externalorganization_changelist"),
        reverse("admin:organization_externalorganization_change", args=[org_ext.pk]),
        reverse("admin:organization_role_changelist"),
        reverse("admin:organization_role_change", args=[role.pk]),
        reverse("admin:organization_person_changelist"),
        reverse("admin:organization_person_changelist") + "?q=Apellido&vigente=si",
        reverse("admin:organization_person_add"),
        reverse("admin:organization_person_change", args=[person.pk]),
        reverse("admin:organization_person_import"),
        reverse("admin:organization_roleassignment_changelist"),
        reverse("admin:organization_roleassignment_change", args=[assignment.pk]),
    ]


def test_pages_load_for_the_admin(client, superuser, org, person):
    client.force_login(superuser)
    for url in _pages(org, person):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["anonymous", "non_staff"])
def test_pages_refused_to_others(client, plain_user, org, person, who):
    if who == "non_staff":
        client.force_login(plain_user)
    for url in _pages(org, person):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    response = client.post(reverse("admin:organization_person_import"), {})
    assert response.status_code == 302


def test_unit_list_in_tree_order(client, superuser, org):
    client.force_login(superuser)
    response = client.get(reverse("admin:organization_unit_changelist"))
    html = response.content.decode()
    positions = [html.index(f">{code}<") for code in ("DM", "SG", "OGTIE", "OGTIE-INNOVACION")]
    assert positions == sorted(positions)


def test_roles_are_read_only(client, superuser, org):
    client.force_login(superuser)
    assert client.get("/admin/organization/role/add/").status_code == 403
    role = Role.objects.get(code="resp-bd")
    response = client.post(
        reverse("admin:organization_role_change", args=[role.pk]), {"name": "Otro"}
    )
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.name != "Otro"


def _person_post(unit, **extra):
    data = {
        "first_name": "Pedro",
        "last_name": "Gómez",
        "dni": "47777777",
        "cargo": "",
        "unit": unit.pk,
        "regime": "cas",
        "valid_from": "",
        "valid_until": "",
        "email": "",
        "external_organization": "",
        "user": "",
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-role": "",
        "assignments-0-unit": "",
        "assignments-0-valid_from": "",
        "assignments-0-valid_until": "",
    }
    data.update(extra)
    return data


def test_add_person_with_role_goes_through_the_actions(client, superuser, org):
    client.force_login(superuser)
    role = Role.objects.get(code="director-uo")
    post = _person_post(org["DIRAB"], **{"assignments-0-role": role.pk})
    response = client.post(reverse("admin:organization_person_add"), post)
    # A unit-scoped role without a unit is refused, and nothing is saved.
    assert response.status_code == 200
    assert "indíquela" in response.content.decode()
    assert not Person.objects.filter(dni="47777777").exists()

    post["assignments-0-unit"] = org["DIRAB"].pk
    response = client.post(reverse("admin:organization_person_add"), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(dni="47777777")
    assignment = RoleAssignment.objects.get(person=person)
    assert (assignment.role.code, assignment.unit.code) == ("director-uo", "DIRAB")
    create = AuditEvent.objects.get(action="person.create", object_id=str(person.pk))
    assert create.actor == superuser and create.source == "web"
    assert AuditEvent.objects.filter(
        action="role_assignment.create", object_id=str(assignment.pk), actor=superuser
    ).exists()


def test_bad_dni_shows_the_error_once(client, superuser, org):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:organization_person_add"), _person_post(org["DIRAB"], dni="123")
    )
    assert response.status_code == 200
    assert response.content.decode().count("El DNI debe tener exactamente 8 dígitos.") == 1
    assert not Person.objects.exists()


def test_end_assignment_from_the_person_page(client, superuser, org, person):
    client.force_login(superuser)
    assignment = person.assignments.get()
    today = timezone.localdate()
    post = _person_post(
        person.unit,
        first_name=person.first_name,
        last_name=person.last_name,
        dni=person.dni,
        **{
            "assignments-TOTAL_FORMS": "2",
            "assignments-INITIAL_FORMS": "1",
            "assignments-0-id": assignment.pk,
            "assignments-0-person": person.pk,
            "assignments-0-valid_until": today.isoformat(),
            "assignments-1-role": "",
            "assignments-1-unit": "",
            "assignments-1-valid_from": "",
            "assignments-1-valid_until": "",
        },
    )
    # Disabled fields (role, unit, valid_from) may be tampered with; they are ignored.
    post["assignments-0-role"] = Role.objects.get(code="jefe-ogtie").pk
    response = client.post(reverse("admin:organization_person_change", args=[person.pk]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment.refresh_from_db()
    assert assignment.valid_until == today
    assert assignment.role.code == "personal"
    assert AuditEvent.objects.filter(action="role_assignment.end", actor=superuser).count() == 1
    assert not AuditEvent.objects.filter(action="person.update").exists()  # nothing else changed


def test_unit_saved_through_the_action(client, superuser, org):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:organization_unit_add"),
        {"code": "ogtie-nuevo", "name": "Equipo nuevo", "kind": "equipo",
         "parent": org["OGTIE"].pk, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    unit = Unit.objects.get(code="OGTIE-NUEVO")
    assert unit.path.startswith(org["OGTIE"].path)
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(unit.pk)).exists()
    response = client.post(
        reverse("admin:organization_unit_change", args=[org["OGTIE"].pk]),
        {"code": "OGTIE", "name": "x", "kind": "oficina", "parent": unit.pk, "is_active": "on"},
    )
    assert response.status_code == 200  # a cycle is refused
    assert "subunidad" in response.content.decode()


def test_nothing_can_be_deleted(client, superuser, org, person):
    client.force_login(superuser)
    for url in (
        reverse("admin:organization_person_delete", args=[person.pk]),
        reverse("admin:organization_unit_delete", args=[org["DIGEP"].pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_import_page_shows_every_error_and_imports_nothing(client, superuser, org):
    client.force_login(superuser)
    content = (
        b"dni,nombres,apellidos,unidad,regimen\n"
        b"41234567,Rosa,Quispe,OGTIE,CAS\n"
        b"123,Mal,Dni,OGTIE,CAS\n"
        b"42345678,Ana,Ruiz,NOEXISTE,CAS\n"
    )
    upload = io.BytesIO(content)
    upload.name = "personas.csv"
    url = reverse("admin:organization_person_import")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert "<td>3</td><td>dni</td>" in html
    assert "<td>4</td><td>unidad</td>" in html
    assert not Person.objects.exists()

    upload = io.BytesIO(b"dni,nombres,apellidos,unidad,regimen\n41234567,Rosa,Quispe,OGTIE,CAS\n")
    upload.name = "personas.csv"
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert Person.objects.filter(dni="41234567").exists()


def test_changelist_links_to_import(client, superuser, org):
    client.force_login(superuser)
    html = client.get(reverse("admin:organization_person_changelist")).content.decode()
    assert reverse("admin:organization_person_import") in html


def test_person_changelist_query_count_is_constant(
    client, superuser, org, make_person, django_assert_max_num_queries
):
    client.force_login(superuser)
    url = reverse("admin:organization_person_changelist")
    for _ in range(3):
        make_person("OGTIE", username=None)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for _ in range(20):
        make_person("DIGEP")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_assignment_admin_ends_through_the_action(client, superuser, org, make_person):
    import datetime

    client.force_login(superuser)
    today = timezone.localdate()
    old = do_assign_role(
        make_person(), "resp-bd", actor=None, valid_from=today - datetime.timedelta(days=9)
    )
    new = do_assign_role(make_person(), "resp-soporte", actor=None, valid_from=today)
    url = reverse("admin:organization_roleassignment_changelist")
    response = client.post(
        url, {"action": "end_selected", "_selected_action": [old.pk, new.pk]}, follow=True
    )
    html = response.content.decode()
    assert "1 asignaciones terminadas." in html
    assert "no puede ser anterior" in html  # the one that starts today cannot end yesterday
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.valid_until == today - datetime.timedelta(days=1)
    assert new.valid_until is None
    assert AuditEvent.objects.filter(action="role_assignment.end", actor=superuser).count() == 1

    response = client.post(
        reverse("admin:organization_roleassignment_change", args=[new.pk]),
        {"valid_until": today.isoformat()},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.valid_until == today
    assert AuditEvent.objects.filter(action="role_assignment.end", actor=superuser).count() == 2
