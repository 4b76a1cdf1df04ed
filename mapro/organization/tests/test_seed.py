import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from mapro.audit.models import AuditEvent
from mapro.organization import data
from mapro.organization.models import ExternalOrganization, Person, Role, RoleAssignment, Unit
from mapro.organization.permissions import has_role

# The 27 codes of docs/roles.md, spelled out so that a change to data.ROLES is noticed.
ROLES_MD = {
    "jefe-ogtie", "resp-mejora-gd", "esp-gobierno-digital", "coord-innovacion",
    "coord-infraestructura", "coord-ciberseguridad", "coord-estadistica", "coord-gobierno-ti",
    "esp-seguridad-info", "oficial-seguridad-digital", "resp-analisis-sistemas",
    "analista-programador", "resp-calidad", "operador-mesa", "tecnico-especialista",
    "resp-infraestructura", "resp-bd", "profesional-ogtie", "prof-redes", "resp-soporte",
    "esp-estadistico", "cgd", "ministro", "secretario-general", "director-uo", "personal",
    "resp-organo-estadistico",
}  # fmt: skip

pytestmark = pytest.mark.django_db


def _state():
    user_model = get_user_model()
    return {
        "units": sorted(Unit.objects.values_list("code", "path", "parent__code", "name")),
        "orgs": sorted(ExternalOrganization.objects.values_list("code", "name", "kind")),
        "roles": sorted(Role.objects.values_list("code", "name", "unit_scoped", "inside_ogtie")),
        "users": sorted(user_model.objects.values_list("username", "password", "is_staff")),
        "people": sorted(Person.objects.values_list("dni", "user__username", "unit__code")),
        "assignments": sorted(
            RoleAssignment.objects.values_list(
                "person__dni", "role__code", "unit__code", "valid_from", "valid_until"
            ),
            key=str,
        ),
        "events": AuditEvent.objects.count(),
    }


def test_seed_loads_the_catalog_without_demo_users():
    call_command("seed")
    assert set(Role.objects.values_list("code", flat=True)) == ROLES_MD
    assert Unit.objects.count() == len(data.UNITS)
    assert ExternalOrganization.objects.count() == len(data.EXTERNAL_ORGANIZATIONS)
    assert get_user_model().objects.count() == 0
    assert Person.objects.count() == 0
    scoped = set(Role.objects.filter(unit_scoped=True).values_list("code", flat=True))
    assert scoped == {"director-uo", "personal"}
    assert Role.objects.filter(inside_ogtie=True).count() == 21
    assert not Role.objects.filter(code="cgd", inside_ogtie=True).exists()


def test_unit_tree_follows_the_manual():
    call_command("seed")
    units = {u.code: u for u in Unit.objects.all()}
    assert units["OGTIE"].parent == units["SG"]
    assert units["SG"].parent == units["DM"]
    assert units["DGPP"].parent == units["VRD"]
    assert units["DIDOM"].parent == units["DGPP"]
    team_codes = {u.code for u in units["OGTIE"].subtree()} - {"OGTIE"}
    assert team_codes == {
        "OGTIE-INNOVACION", "OGTIE-INFRAESTRUCTURA", "OGTIE-CIBERSEGURIDAD",
        "OGTIE-ESTADISTICA", "OGTIE-GOBIERNO-TI",
    }  # fmt: skip
    # Path order is tree order: every unit comes right after its ancestors.
    ordered = [u.code for u in Unit.objects.order_by("path")]
    assert ordered[0] == "DM"
    assert ordered.index("OGTIE") < ordered.index("OGTIE-INNOVACION") < ordered.index("OGAJ")


def test_seed_twice_changes_nothing():
    call_command("seed", "--demo")
    first = _state()
    call_command("seed", "--demo")
    assert _state() == first
    assert first["events"] > 0


def test_demo_users_one_per_role(settings):
    settings.MAPRO_DEMO_PASSWORD = "clave-demo"
    call_command("seed", "--demo")
    users = get_user_model().objects.all()
    assert {u.username for u in users} == ROLES_MD | {"admin"}
    for user in users:
        assert user.check_password("clave-demo"), user.username
        assert user.password.startswith("md5$")  # hashed, never in clear
        if user.username != "admin":
            assert has_role(user, user.username), user.username
            assert not user.is_staff
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    dnis = list(Person.objects.values_list("dni", flat=True))
    assert len(dnis) == len(set(dnis)) == 27
    assert all(len(d) == 8 and d.isdigit() for d in dnis)


def test_demo_units_and_scopes():
    call_command("seed", "--demo")
    person = Person.objects.get(user__username="coord-infraestructura")
    assert person.unit.code == "OGTIE-INFRAESTRUCTURA"
    for code in ("director-uo", "personal"):
        assignment = RoleAssignment.objects.get(person__user__username=code)
        assert assignment.unit.code == "DIGEP"
        assert assignment.person.unit.code == "DIGEP"
    jefe = RoleAssignment.objects.get(person__user__username="jefe-ogtie")
    assert jefe.unit is None
    ogtie_roles = set(Role.objects.filter(inside_ogtie=True).values_list("code", flat=True))
    for person in Person.objects.filter(user__username__in=ogtie_roles).select_related("unit"):
        assert person.unit.code.startswith("OGTIE"), person.user.username
    director = get_user_model().objects.get(username="director-uo")
    units = {u.code: u for u in Unit.objects.all()}
    assert has_role(director, "director-uo", units["DIGEP"])
    assert not has_role(director, "director-uo", units["DIRAB"])


def test_changed_demo_password_is_applied(settings):
    call_command("seed", "--demo")
    settings.MAPRO_DEMO_PASSWORD = "otra-clave"
    call_command("seed", "--demo")
    user = get_user_model().objects.get(username="operador-mesa")
    assert user.check_password("otra-clave")
    assert not user.check_password("demo")


def test_ended_demo_assignment_is_restored_and_kept_as_history():
    from mapro.organization.actions import do_end_role_assignment
    from mapro.organization.seeding import load_demo_users, load_organization

    load_organization()
    load_demo_users()
    assignment = RoleAssignment.objects.get(person__user__username="resp-bd")
    do_end_role_assignment(assignment, actor=None)
    user = get_user_model().objects.get(username="resp-bd")
    assert not has_role(user, "resp-bd")
    load_demo_users()
    user = get_user_model().objects.get(username="resp-bd")
    assert has_role(user, "resp-bd")
    assert RoleAssignment.objects.filter(person__user=user).count() == 2


def test_demo_passwords_use_the_configured_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from mapro.organization.seeding import _ensure_user

    user, created = _ensure_user("admin", "demo", is_staff=True, is_superuser=True)
    assert created and user.password.startswith("argon2")
    again, created = _ensure_user("admin", "demo", is_staff=True, is_superuser=True)
    assert not created and again.password == user.password


def test_migrations_create_no_users():
    assert get_user_model().objects.count() == 0
    assert Person.objects.count() == 0


def test_seed_runs_the_steps_other_apps_register_in_order(capsys):
    """The organization names no app: the help desk and the cronogramas add their steps."""
    call_command("seed")
    out = capsys.readouterr().out
    desk = out.index("Categorías de mesa de ayuda nuevas:")
    assert out.index("Organización:") < desk < out.index("Cronogramas:") < out.index("Listo.")
