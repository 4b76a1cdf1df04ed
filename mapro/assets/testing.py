"""Test data of the inventories and registers, made through the actions (as the system).

Used by this app's tests and its rows of the permission matrix (``tests/access_rows.py``):
each ``*_kwargs(user)`` factory builds what a URL points at, in the acting user's unit when
they have one (so a Director(a) de unidad sees it), and ``other_unit_*`` builds it elsewhere.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.db import transaction

from mapro.core.testing import ensure_unit
from mapro.organization.actions import do_create_person
from mapro.organization.models import Person, Unit

from . import actions
from .models import BlockEntry, CertDevice, PhoneEquipment, RestoreRequest

_serial = itertools.count(1)
#: People with fixed DNIs, so that static request bodies can name them (``holder_dni``).
HOLDER_DNI, LEAVER_DNI = "40000001", "40000002"


def user_unit(user: Any) -> Unit:
    """The unit of the user's person, else DGRRHH (created under SG if missing)."""
    person = Person.objects.filter(user=user).select_related("unit").first() if user else None
    return person.unit if person is not None else other_unit()


def other_unit() -> Unit:
    sg = ensure_unit("SG", "Secretaría General")
    return ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=sg)


def far_unit() -> Unit:
    """A unit no test user belongs to (for out-of-scope objects)."""
    sg = ensure_unit("SG", "Secretaría General")
    return ensure_unit("DIGEP", "Dirección de Gestión Patrimonial", parent=sg)


def person(dni: str, unit: Unit | None = None, name: str = "Titular") -> Person:
    """The person with ``dni`` (created in ``unit`` if missing)."""
    found = Person.objects.filter(dni=dni).select_related("unit").first()
    if found is not None:
        return found
    with transaction.atomic():
        return do_create_person(
            actor=None,
            dni=dni,
            first_name=name,
            last_name=f"Prueba {dni}",
            unit=unit or other_unit(),
            regime="cas",
        )


def new_phone(kind: str = "ip") -> PhoneEquipment:
    n = next(_serial)
    return actions.do_register_phone(
        kind=kind,
        serial=f"PH-{n:05d}",
        brand_model="Cisco 8841" if kind == "ip" else "Samsung A35",
        extension=f"6{n:03d}" if kind == "ip" else "",
        call_manager_registered=kind == "ip",
        line_number="" if kind == "ip" else f"9876{n:05d}",
        actor=None,
        check=False,
    )


def assigned_phone(unit: Unit, holder_name: str = "Ana Rojas") -> PhoneEquipment:
    phone = new_phone()
    actions.do_assign_phone(
        phone,
        holder_name=holder_name,
        unit=unit,
        assigned_on=dt.date(2025, 9, 8),
        acta_entrega="ACTA-OGTIE-1",
        actor=None,
        check=False,
    )
    return phone


def new_cert_device(kind: str = "tarjeta-criptografica") -> CertDevice:
    n = next(_serial)
    return actions.do_register_cert_device(kind=kind, serial=f"TC-{n:05d}", actor=None, check=False)


def held_cert_device(holder: Person) -> CertDevice:
    device = new_cert_device()
    actions.do_assign_cert_device(
        device,
        holder=holder,
        declaracion_jurada="DJ-firmada.pdf",
        reniec_registered_on=dt.date(2025, 8, 4),
        reniec_approved_on=dt.date(2025, 8, 6),
        assigned_on=dt.date(2025, 8, 7),
        actor=None,
        check=False,
    )
    return device


def returned_cert_device(holder: Person) -> CertDevice:
    device = held_cert_device(holder)
    actions.do_return_cert_device(
        device,
        holder=holder,
        leaving_reason="renuncia",
        returned_on=dt.date(2026, 2, 27),
        actor=None,
        check=False,
    )
    return device


def restore_request(unit: Unit, **extra: Any) -> RestoreRequest:
    return actions.do_record_restore_request(
        system=extra.pop("system", "LEGAJOS_PRD"),
        period=extra.pop("period", "1 al 15 de marzo de 2025"),
        requester_name=extra.pop("requester_name", "Ana Rojas"),
        unit=unit,
        ticket=extra.pop("ticket", "MA-2025-005120"),
        requested_on=extra.pop("requested_on", dt.date(2025, 3, 17)),
        actor=None,
        check=False,
        **extra,
    )


def block_entry(value: str | None = None) -> BlockEntry:
    n = next(_serial)
    return actions.do_add_block(
        kind="dominio",
        value=value or f"phish-{n}.example",
        case_kind="phishing",
        ticket="MA-2025-000777",
        actor=None,
        check=False,
    )


# --- URL kwargs for the permission matrix -----------------------------------------------------


def phone_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": assigned_phone(user_unit(user)).pk}


def free_phone_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": new_phone().pk}


def other_phone_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": assigned_phone(far_unit()).pk}


def cert_kwargs(user: Any) -> dict[str, Any]:
    holder = person(f"41{next(_serial):06d}", user_unit(user))
    return {"pk": held_cert_device(holder).pk}


def free_cert_kwargs(user: Any) -> dict[str, Any]:
    person(HOLDER_DNI)  # named by the matrix's request body
    return {"pk": new_cert_device().pk}


def leaver_cert_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": held_cert_device(person(LEAVER_DNI)).pk}


def returned_cert_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": returned_cert_device(person(LEAVER_DNI)).pk}


def other_cert_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": held_cert_device(person("40000003", far_unit())).pk}


def restore_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": restore_request(user_unit(user)).pk}


def other_restore_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": restore_request(far_unit()).pk}


def block_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": block_entry().pk}
