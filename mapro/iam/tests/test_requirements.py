"""Requirements by contract regime (S04.03.01.01, activities 1, 2, 5 and 7)."""

import pytest

from mapro.iam.requirements import missing_requirements, requirement_labels

FULL_OS = {"orden_servicio", "acta_aceptacion_riesgos"}


@pytest.mark.parametrize(
    ("regime", "kinds", "provided", "missing"),
    [
        ("orden_servicio", ["red"], set(), ["orden_servicio", "acta_aceptacion_riesgos"]),
        ("orden_servicio", ["red"], {"orden_servicio"}, ["acta_aceptacion_riesgos"]),
        ("orden_servicio", ["red", "correo"], FULL_OS, []),
        ("cas", ["red"], set(), ["registro_mindef"]),
        ("cas", ["red"], {"registro_mindef"}, []),
        ("fag", ["red"], {"acta_aceptacion_riesgos"}, ["contrato_resolucion"]),
        ("pac", ["correo"], {"contrato_resolucion", "acta_aceptacion_riesgos"}, []),
        ("militar", ["red"], set(), []),
        ("nombrado", ["sistema"], set(), []),
        ("cas", ["usb"], {"registro_mindef"}, ["acta_aceptacion_riesgos", "cibersoldado"]),
        ("cas", ["vpn"], {"registro_mindef", "acta_aceptacion_riesgos"}, ["cibersoldado"]),
        ("orden_servicio", ["redes_sociales"], FULL_OS | {"cibersoldado"}, []),
    ],
)
def test_desk_requirements(regime, kinds, provided, missing):
    assert missing_requirements(regime, kinds, provided) == missing


def test_verified_requirements_add_signed_acta_and_sg_authorization_for_special_accesses():
    provided = {"registro_mindef", "acta_aceptacion_riesgos", "cibersoldado"}
    assert missing_requirements("cas", ["vpn"], provided, verified=True) == ["acta_firmada"]
    assert missing_requirements("cas", ["usb"], provided, verified=True) == [
        "acta_firmada",
        "autorizacion_sg",
    ]
    signed = {"registro_mindef", "acta_firmada", "cibersoldado"}
    assert missing_requirements("cas", ["vpn"], signed, verified=True) == []
    assert missing_requirements("cas", ["periferico"], signed, verified=True) == ["autorizacion_sg"]
    assert missing_requirements("cas", ["red"], {"registro_mindef"}, verified=True) == []


def test_unknown_regime_is_an_error_and_labels_are_spanish():
    with pytest.raises(ValueError, match="desconocido"):
        missing_requirements("locacion", ["red"], set())
    assert requirement_labels(["cibersoldado"]) == [
        "Evidencia de inscripción o culminación del curso de cibersoldado"
    ]
