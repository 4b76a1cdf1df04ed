import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.actions import do_assign_role, do_create_person
from mapro.organization.models import Unit
from mapro.organization.seeding import load_organization
from mapro.procedures.ficha import hashing
from mapro.procedures.ficha.compiler import compile_bpmn
from mapro.procedures.models import Procedure, ProcedureVersion
from mapro.procedures.publishing import do_publish_procedures

from . import ficha_samples as s

INVENTORY = Path(settings.BASE_DIR) / "procedures" / "_inventario.yaml"


def soporte():
    ficha = s.multi_start()
    ficha.update(
        code="S04.03.04.02",
        name="Atención de requerimientos de soporte técnico",
        process={"level1": "S04.03", "level2": "S04.03.04"},
    )
    return ficha


@pytest.fixture
def fichas(tmp_path):
    shutil.copy(INVENTORY, tmp_path / "_inventario.yaml")
    write(tmp_path, s.linear())
    write(tmp_path, soporte())
    return tmp_path


def write(directory, ficha):
    (directory / f"{ficha['code']}.yaml").write_text(s.dump(ficha), encoding="utf-8")


def publish_events():
    return AuditEvent.objects.filter(action="procedure.publish")


@pytest.mark.django_db
def test_publish_creates_procedures_and_versions(fichas):
    versions = do_publish_procedures(fichas, actor=None)
    assert sorted(v.procedure.code for v in versions) == ["S04.02.00.03", "S04.03.04.02"]
    proc = Procedure.objects.get(code="S04.03.04.02")
    assert (proc.name, proc.level1, proc.level2) == (
        "Atención de requerimientos de soporte técnico",
        "S04.03",
        "S04.03.04",
    )
    version = proc.current_version
    assert version is not None and version.procedure == proc
    assert version.manual_version == "1"
    assert version.ficha == json.loads(json.dumps(soporte()))
    assert version.bpmn_xml == compile_bpmn(soporte())
    assert version.content_hash == hashing.content_hash(soporte())
    assert Procedure.objects.get(code="S04.02.00.03").level2 == ""
    event = publish_events().get(object_id=str(proc.pk))
    assert event.actor_name == "sistema"
    assert event.before is None
    assert event.after["content_hash"] == version.content_hash and event.after["new_version"]


@pytest.mark.django_db
def test_unchanged_fichas_publish_nothing(fichas):
    do_publish_procedures(fichas, actor=None)
    assert do_publish_procedures(fichas, actor=None) == []
    assert ProcedureVersion.objects.count() == 2
    assert publish_events().count() == 2


@pytest.mark.django_db
def test_changed_ficha_publishes_a_new_version(fichas):
    do_publish_procedures(fichas, actor=None)
    proc = Procedure.objects.get(code="S04.02.00.03")
    first = proc.current_version
    changed = s.linear()
    changed["activities"][1]["name"] = "Aprobar la baja"
    changed["version"] = 2
    write(fichas, changed)

    versions = do_publish_procedures(fichas, actor=None)

    assert [v.procedure.code for v in versions] == ["S04.02.00.03"]
    proc.refresh_from_db()
    assert proc.current_version == versions[0] != first
    assert versions[0].manual_version == "2"
    assert "2. Aprobar la baja" in versions[0].bpmn_xml
    first.refresh_from_db()
    assert first.ficha == json.loads(json.dumps(s.linear()))  # the old version is untouched
    event = publish_events().filter(object_id=str(proc.pk)).latest("id")
    assert event.before["content_hash"] == first.content_hash
    assert event.after["content_hash"] == versions[0].content_hash

    # Reverting the ficha makes the first version current again, without a new version.
    write(fichas, s.linear())
    assert do_publish_procedures(fichas, actor=None) == []
    proc.refresh_from_db()
    assert proc.current_version == first
    assert ProcedureVersion.objects.filter(procedure=proc).count() == 2
    reverted = publish_events().filter(object_id=str(proc.pk)).latest("id")
    assert reverted.after["new_version"] is False


@pytest.mark.django_db
def test_compiler_change_republishes(fichas, monkeypatch):
    do_publish_procedures(fichas, actor=None)
    monkeypatch.setattr(hashing, "COMPILER_VERSION", "test-next")
    assert len(do_publish_procedures(fichas, actor=None)) == 2
    assert ProcedureVersion.objects.count() == 4


@pytest.mark.django_db
def test_any_invalid_ficha_publishes_nothing(fichas):
    broken = soporte()
    broken["activities"][0]["next"] = 99
    write(fichas, broken)
    with pytest.raises(InvalidInput) as exc:
        do_publish_procedures(fichas, actor=None)
    problems = exc.value.errors["fichas"]
    assert len(problems) == 1
    assert problems[0].startswith(str(fichas / "S04.03.04.02.yaml") + ":")
    assert "La actividad 99 no existe" in problems[0]
    assert Procedure.objects.count() == 0 and ProcedureVersion.objects.count() == 0
    assert publish_events().count() == 0


@pytest.fixture
def people(db):
    load_organization()
    ogtie = Unit.objects.get(code="OGTIE")
    users = {}
    for i, role in enumerate(["jefe-ogtie", "coord-innovacion"]):
        user = get_user_model().objects.create_user(role)
        person = do_create_person(
            actor=None,
            user=user,
            dni=str(40000000 + i),
            first_name="Nombre",
            last_name="Apellido",
            unit=ogtie,
            regime="cas",
        )
        do_assign_role(person, role, actor=None)
        users[role] = user
    users["admin"] = get_user_model().objects.create_superuser("admin-test", password="x")
    return users


@pytest.mark.django_db
def test_publish_permissions(fichas, people):
    with pytest.raises(Forbidden):
        do_publish_procedures(fichas, actor=people["coord-innovacion"])
    assert Procedure.objects.count() == 0
    assert len(do_publish_procedures(fichas, actor=people["jefe-ogtie"])) == 2
    event = publish_events().first()
    assert event.actor == people["jefe-ogtie"]
    write(fichas, {**s.linear(), "objective": "Otro objetivo."})
    assert len(do_publish_procedures(fichas, actor=people["admin"])) == 1


@pytest.mark.django_db
def test_publish_the_repository_fichas():
    versions = do_publish_procedures(actor=None)
    codes = sorted(p.stem for p in Path(settings.MAPRO_PROCEDURES_DIR).glob("S04*.yaml"))
    assert sorted(v.procedure.code for v in versions) == codes
    assert do_publish_procedures(actor=None) == []
