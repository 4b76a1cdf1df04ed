"""Rows of the permission matrix for the assets app (see mapro/core/tests/access_matrix.py).

Readers are the roles of ``mapro.assets.access``; a Director(a) de unidad reads what is held in
their unit (the kwargs factories build it in the acting user's unit). Out-of-scope checks live
in ``test_access.py``: the matrix's ``out_of_scope`` asks every allowed role, and the global
readers see everything.
"""

from __future__ import annotations

from mapro.assets import access, testing
from mapro.core.tests.access_matrix import Row, roles

PHONE_READERS = roles(*access.all_readers(access.PHONE_READERS, unit_scoped=True))
CERT_READERS = roles(*access.all_readers(access.CERT_READERS, unit_scoped=True))
RESTORE_READERS = roles(*access.all_readers(access.RESTORE_READERS, unit_scoped=True))
REPORT_READERS = roles(*access.RESTORE_REPORT_READERS)
BLOCK_READERS = roles(*access.BLOCK_READERS)


def _post(allowed: frozenset[str], kwargs: object, data: dict[str, object]) -> Row:
    return Row("api", allowed, method="post", kwargs=kwargs, data=data)  # type: ignore[arg-type]


ROWS: dict[str, Row] = {
    # HTML (under /inventarios/)
    "assets:phone_list": Row("html", PHONE_READERS),
    "assets:phone_export": Row("html", PHONE_READERS),
    "assets:phone_detail": Row("html", PHONE_READERS, kwargs=testing.phone_kwargs),
    "assets:cert_list": Row("html", CERT_READERS),
    "assets:cert_export": Row("html", CERT_READERS),
    "assets:cert_detail": Row("html", CERT_READERS, kwargs=testing.cert_kwargs),
    "assets:restore_list": Row("html", RESTORE_READERS),
    "assets:restore_export": Row("html", RESTORE_READERS),
    "assets:restore_detail": Row("html", RESTORE_READERS, kwargs=testing.restore_kwargs),
    "assets:restore_report": Row("html", REPORT_READERS),
    "assets:restore_report_export": Row(
        "html", REPORT_READERS, ok=(400,), denied=403
    ),  # without año/semestre: 400 naming them
    "assets:block_list": Row("html", BLOCK_READERS),
    "assets:block_export": Row("html", BLOCK_READERS),
    "assets:block_detail": Row("html", BLOCK_READERS, kwargs=testing.block_kwargs),
    # HTML actions on the detail pages (success: back to the page)
    "assets:phone_return": Row(
        "html",
        roles(*access.PHONE_MANAGERS),
        method="post",
        kwargs=testing.phone_kwargs,
        data={"holder_name": "Ana Rojas", "reason": "Cambio de equipo"},
        ok=(302,),
    ),
    "assets:cert_conformity": Row(
        "html",
        roles(*access.CERT_CONFORMITY),
        method="post",
        kwargs=testing.returned_cert_kwargs,
        ok=(302,),
    ),
    "assets:block_deactivate": Row(
        "html",
        roles(*access.BLOCK_MANAGERS),
        method="post",
        kwargs=testing.block_kwargs,
        data={"reason": "Falso positivo."},
        ok=(302,),
    ),
    # API v1
    "assets-api:phone-list": Row("api", PHONE_READERS),
    "assets-api:phone-detail": Row("api", PHONE_READERS, kwargs=testing.phone_kwargs),
    "assets-api:phone-assign": _post(
        roles(*access.PHONE_MANAGERS),
        testing.free_phone_kwargs,
        {"holder_name": "Ana Rojas", "unit": "OGTIE", "acta_entrega": "ACTA-1"},
    ),
    "assets-api:phone-return": _post(
        roles(*access.PHONE_MANAGERS),
        testing.phone_kwargs,
        {"holder_name": "Ana Rojas", "reason": "Cambio de equipo"},
    ),
    "assets-api:phone-acta": _post(
        roles(*access.PHONE_MANAGERS),
        testing.phone_kwargs,
        {
            "acta_asignacion": "AAB-2025-0912",
            "signatures": {"usuario": {"name": "Ana Rojas", "date": "2025-09-08"}},
        },
    ),
    "assets-api:phone-retire": _post(
        roles(*access.PHONE_MANAGERS), testing.free_phone_kwargs, {"reason": "Pantalla rota."}
    ),
    "assets-api:cert-device-retire": _post(
        roles(*access.CERT_MANAGERS), testing.free_cert_kwargs, {"reason": "Extraviado."}
    ),
    "assets-api:cert-device-list": Row("api", CERT_READERS),
    "assets-api:cert-device-detail": Row("api", CERT_READERS, kwargs=testing.cert_kwargs),
    "assets-api:cert-device-assign": _post(
        roles(*access.CERT_MANAGERS),
        testing.free_cert_kwargs,
        {
            "holder_dni": testing.HOLDER_DNI,
            "declaracion_jurada": "DJ.pdf",
            "reniec_registered_on": "2025-08-04",
            "reniec_approved_on": "2025-08-06",
        },
    ),
    "assets-api:cert-device-return": _post(
        roles(*access.CERT_MANAGERS),
        testing.leaver_cert_kwargs,
        {"holder_dni": testing.LEAVER_DNI, "leaving_reason": "renuncia"},
    ),
    "assets-api:cert-device-conformity": _post(
        roles(*access.CERT_CONFORMITY), testing.returned_cert_kwargs, {}
    ),
    "assets-api:restore-list": Row("api", RESTORE_READERS),
    "assets-api:restore-detail": Row("api", RESTORE_READERS, kwargs=testing.restore_kwargs),
    "assets-api:restore-outcome": _post(
        roles(*access.RESTORE_EXECUTORS),
        testing.restore_kwargs,
        {"outcome": "restaurada", "action": "restauracion", "result": "42 registros."},
    ),
    "assets-api:block-list": Row("api", BLOCK_READERS),
    "assets-api:block-detail": Row("api", BLOCK_READERS, kwargs=testing.block_kwargs),
    "assets-api:block-deactivate": _post(
        roles(*access.BLOCK_MANAGERS), testing.block_kwargs, {"reason": "Falso positivo."}
    ),
}
