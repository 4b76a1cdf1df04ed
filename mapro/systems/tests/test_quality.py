"""Quality evidence: the sample reports of each tool are read to the right counts, a file of the
other tool (or no report at all) is refused naming ``file``, and the gate proposes."""

from __future__ import annotations

import json

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.systems import quality
from mapro.systems.testing import sample


def test_sonarqube_export_counts_open_issues_by_severity() -> None:
    parsed = quality.parse_sonarqube(sample("sonarqube-issues.json"))
    # the sixth issue is resolved (FIXED): it does not count
    assert parsed.counts == {"BLOCKER": 1, "CRITICAL": 1, "MAJOR": 1, "MINOR": 1, "INFO": 1}
    assert parsed.total == 5 and len(parsed.findings) == 5
    assert parsed.source == "sigedoc"
    assert parsed.findings[0]["location"].endswith("Config.java:14")


def test_sonarqube_newer_impacts_count_under_the_mapped_severity() -> None:
    parsed = quality.parse_sonarqube(sample("sonarqube-clean.json"))
    assert parsed.counts == {"BLOCKER": 0, "CRITICAL": 0, "MAJOR": 1, "MINOR": 1, "INFO": 0}


def test_zap_report_counts_alerts_by_risk() -> None:
    parsed = quality.parse_zap(sample("zap-report.json"))
    assert parsed.counts == {"HIGH": 1, "MEDIUM": 1, "LOW": 1, "INFORMATIONAL": 1}
    assert parsed.tool_version == "2.15.0"
    assert parsed.source == "https://sigedoc-desa.mindef.gob.pe"
    csp = next(f for f in parsed.findings if f["key"] == "10038")
    assert csp["instances"] == 2 and csp["rule"] == "CWE-693"


@pytest.mark.parametrize(
    ("parse", "name", "message"),
    [
        (quality.parse_sonarqube, "zap-report.json", "es un reporte de OWASP ZAP"),
        (quality.parse_zap, "sonarqube-issues.json", "es una exportación de SonarQube"),
    ],
)
def test_the_other_tools_report_is_refused_naming_file(parse, name, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as exc:
        parse(sample(name))
    assert message in exc.value.errors["file"][0]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"<html>no es json</html>",
        b'{"issues": "x"}',
        json.dumps({"site": [], "foo": 1}).encode(),
        json.dumps([1, 2, 3]).encode(),
    ],
)
def test_files_that_are_no_report_are_refused(raw: bytes) -> None:
    for parse in (quality.parse_sonarqube, quality.parse_zap):
        with pytest.raises(InvalidInput) as exc:
            parse(raw)
        assert list(exc.value.errors) == ["file"]


def test_a_single_page_of_a_larger_export_is_refused() -> None:
    doc = json.loads(sample("sonarqube-issues.json"))
    doc["paging"]["total"] = 250
    with pytest.raises(InvalidInput) as exc:
        quality.parse_sonarqube(json.dumps(doc).encode())
    assert "6 de 250" in exc.value.errors["file"][0]


def test_zap_alert_without_a_risk_code_is_refused() -> None:
    doc = json.loads(sample("zap-clean.json"))
    doc["site"][0]["alerts"][0]["riskcode"] = "9"
    with pytest.raises(InvalidInput):
        quality.parse_zap(json.dumps(doc).encode())


def test_gate_proposes_no_cumple_over_any_maximum() -> None:
    counts = quality.parse_sonarqube(sample("sonarqube-issues.json")).counts
    assert quality.judge(counts, quality.default_gate("sonarqube")) == "no"
    assert quality.judge(counts, {"BLOCKER": 1, "CRITICAL": 1}) == "si"
    assert quality.judge(counts, {}) == "si"
    clean = quality.parse_zap(sample("zap-clean.json")).counts
    assert quality.judge(clean, quality.default_gate("zap")) == "si"
    assert quality.exceeded(counts, {"MAJOR": 0}) == ["Mayor: 1 (máx. 0)"]
