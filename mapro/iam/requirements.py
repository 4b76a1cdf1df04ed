"""What a request for accounts, accesses or privileges must carry, by contract regime.

The manual (S04.03.01.01, activities 1, 2, 5 and 7) lists them; ``missing_requirements`` is the
one place that knows the list. It is pure (no database): the procedure step "¿Cumple con los
requisitos?" and the help-desk forms call it with what the request brings.

- Orden de servicio: copy of the order and the acta de aceptación de riesgos (SGSI-FOR-027).
- CAS: the user is registered in MINDEF (activity 2 validates only that; activity 1 also asks
  CAS requests to attach the acta, which activity 2 does not check).
- FAG / PAC: copy of the contract and/or designation resolution, and the acta.
- Personal militar / nombrado: the manual lists nothing for them.
- Privilegios no comunes (VPN, redes sociales, USB, periféricos, otros): the acta signed by the
  user's director/jefe and the user, and the cibersoldado course evidence.
- Special accesses (every privilegio no común except VPN: redes sociales, USB, periféricos,
  otros): only with the Secretary General's signed authorization.

The desk (activity 2) checks that documents are attached; the professional (activities 5 and 7)
checks that the acta is signed by the director/jefe and the user and that special accesses carry
the Secretary General's authorization: those two are checked only with ``verified=True`` (the
register uses it before granting a privilege).
"""

from __future__ import annotations

from collections.abc import Iterable

#: Requirement keys (the ``requisitos_faltantes`` values of the ficha) and their names.
REQUIREMENT_LABELS: dict[str, str] = {
    "registro_mindef": "Registro del usuario en el MINDEF (CAS)",
    "orden_servicio": "Copia de la orden de servicio",
    "contrato_resolucion": "Copia del contrato y/o resolución de designación",
    "acta_aceptacion_riesgos": "Acta de aceptación de riesgos (Formato N° 01, SGSI-FOR-027)",
    "acta_firmada": "Acta de aceptación de riesgos firmada por el director/jefe del usuario y el "
    "usuario",
    "cibersoldado": "Evidencia de inscripción o culminación del curso de cibersoldado",
    "autorizacion_sg": "Autorización firmada del Secretario General del MINDEF",
}

BY_REGIME: dict[str, tuple[str, ...]] = {
    "orden_servicio": ("orden_servicio", "acta_aceptacion_riesgos"),
    "cas": ("registro_mindef",),
    "fag": ("contrato_resolucion", "acta_aceptacion_riesgos"),
    "pac": ("contrato_resolucion", "acta_aceptacion_riesgos"),
    "militar": (),
    "nombrado": (),
}

#: Access kinds (the ficha's ``tipo`` values) that are privilegios no comunes.
NON_COMMON = frozenset({"vpn", "redes_sociales", "usb", "periferico", "otro_no_comun"})
#: Of those, the special accesses that need the Secretary General's signed authorization.
SPECIAL = NON_COMMON - {"vpn"}
NON_COMMON_DOCUMENTS = ("acta_aceptacion_riesgos", "cibersoldado")


def missing_requirements(
    regime: str,
    kinds: Iterable[str],
    provided_documents: Iterable[str],
    *,
    verified: bool = False,
) -> list[str]:
    """The requirement keys that ``provided_documents`` lacks, in the manual's order.

    ``regime`` is a ContractRegime value; ``kinds`` the access kinds requested (red, correo,
    sistema, vpn, redes_sociales, usb, periferico, otro_no_comun); ``provided_documents`` the
    requirement keys present. An unknown regime raises ValueError. The signed acta
    (``acta_firmada``) also counts as the attached acta. With ``verified`` the professional's
    checks are added (signed acta for privilegios no comunes, SG authorization for special ones).
    """
    if regime not in BY_REGIME:
        raise ValueError(f"Régimen de contratación desconocido: {regime!r}")
    provided = set(provided_documents)
    if "acta_firmada" in provided:
        provided.add("acta_aceptacion_riesgos")
    kinds = set(kinds)
    needed: list[str] = list(BY_REGIME[regime])
    if kinds & NON_COMMON:
        needed += [d for d in NON_COMMON_DOCUMENTS if d not in needed]
        if verified:
            needed.append("acta_firmada")
    if verified and kinds & SPECIAL:
        needed.append("autorizacion_sg")
    return [key for key in needed if key not in provided]


def requirement_labels(keys: Iterable[str]) -> list[str]:
    """The Spanish names of requirement keys, for messages ("Falta: …")."""
    return [REQUIREMENT_LABELS.get(k, k) for k in keys]
