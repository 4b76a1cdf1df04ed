"""Reading the reports of the quality tools, and the gate that judges them.

Two formats, as each tool documents them:

- **SonarQube**: the JSON answer of its Web API ``GET api/issues/search`` (``{"total", "p",
  "ps", "paging": {...}, "issues": [{"key", "rule", "severity", "component", "message",
  "type", ...}], ...}``). Each issue counts under its ``severity`` (BLOCKER, CRITICAL, MAJOR,
  MINOR, INFO); an issue with only the newer ``impacts`` (10.x) counts under the highest
  impact (BLOCKER/HIGH/MEDIUM/LOW/INFO mapped to BLOCKER/CRITICAL/MAJOR/MINOR/INFO). Issues
  already resolved (a ``resolution``: FIXED, FALSE-POSITIVE, WONTFIX) do not count. A page of a
  larger result (``paging.total`` above the issues in the file) is refused: the counts would
  understate the code's state.
- **OWASP ZAP**: the Traditional JSON report (``{"@programName": "ZAP", "@version",
  "@generated", "site": [{"@name", "alerts": [{"pluginid", "alert", "riskcode", "confidence",
  "riskdesc", "instances": [...], "count", "cweid", ...}]}]}``). Each alert counts once under
  its ``riskcode`` (3 High, 2 Medium, 1 Low, 0 Informational), with its instances.

Anything else (not JSON, the other tool's report, a JSON without the tool's shape) is an
``InvalidInput`` naming the ``file`` field, before anything is stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mapro.core.exceptions import InvalidInput

from .choices import DEFAULT_GATES, SEVERITIES, QualityTool, Verdict

MAX_BYTES = 5 * 1024 * 1024
MAX_FINDINGS = 500
_SONAR_SEVERITIES = [key for key, _ in SEVERITIES[QualityTool.SONARQUBE]]
_ZAP_RISKS = {"3": "HIGH", "2": "MEDIUM", "1": "LOW", "0": "INFORMATIONAL"}
_IMPACT_TO_SEVERITY = {
    "BLOCKER": "BLOCKER",
    "HIGH": "CRITICAL",
    "MEDIUM": "MAJOR",
    "LOW": "MINOR",
    "INFO": "INFO",
}


@dataclass
class ParsedReport:
    tool: str
    counts: dict[str, int]
    findings: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""
    tool_version: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _bad(message: str) -> InvalidInput:
    return InvalidInput(errors={"file": [message]})


def _load(raw: bytes) -> Any:
    if not raw:
        raise _bad("El archivo está vacío.")
    if len(raw) > MAX_BYTES:
        raise _bad("El archivo supera 5 MB.")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad("El archivo no es un reporte JSON (no se pudo leer como JSON).") from exc


def looks_like_zap(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and isinstance(doc.get("site"), list)
        and ("@programName" in doc or "@version" in doc or "@generated" in doc)
    )


def looks_like_sonar(doc: Any) -> bool:
    if not isinstance(doc, dict) or not isinstance(doc.get("issues"), list):
        return False
    if not ("paging" in doc or "total" in doc):
        return False
    return all(isinstance(i, dict) and "rule" in i and "component" in i for i in doc["issues"])


def detect_tool(raw: bytes) -> str | None:
    doc = _load(raw)
    if looks_like_sonar(doc):
        return QualityTool.SONARQUBE
    if looks_like_zap(doc):
        return QualityTool.ZAP
    return None


def _sonar_severity(issue: dict[str, Any]) -> str | None:
    severity = str(issue.get("severity") or "").upper()
    if severity in _SONAR_SEVERITIES:
        return severity
    impacts = issue.get("impacts") or []
    mapped = [
        _IMPACT_TO_SEVERITY.get(str(i.get("severity") or "").upper())
        for i in impacts
        if isinstance(i, dict)
    ]
    ranked = [s for s in _SONAR_SEVERITIES if s in mapped]
    return ranked[0] if ranked else None


def parse_sonarqube(raw: bytes) -> ParsedReport:
    doc = _load(raw)
    if looks_like_zap(doc):
        raise _bad("El archivo es un reporte de OWASP ZAP, no una exportación de SonarQube.")
    if not looks_like_sonar(doc):
        raise _bad(
            "El archivo no es una exportación de incidencias de SonarQube (respuesta JSON de "
            "api/issues/search con «issues» y «paging»)."
        )
    issues = doc["issues"]
    paging = doc.get("paging") if isinstance(doc.get("paging"), dict) else {}
    declared = paging.get("total", doc.get("total"))
    if isinstance(declared, int) and declared > len(issues):
        raise _bad(
            f"El archivo trae {len(issues)} de {declared} incidencias (una página): exporte "
            "todas las páginas en un solo archivo o filtre el análisis."
        )
    counts = {key: 0 for key in _SONAR_SEVERITIES}
    findings: list[dict[str, Any]] = []
    projects = set()
    for issue in issues:
        if issue.get("resolution"):
            continue
        severity = _sonar_severity(issue)
        if severity is None:
            raise _bad(f"La incidencia {issue.get('key', '?')} no tiene severidad.")
        counts[severity] += 1
        if issue.get("project"):
            projects.add(str(issue["project"]))
        if len(findings) < MAX_FINDINGS:
            findings.append(
                {
                    "key": str(issue.get("key") or ""),
                    "severity": severity,
                    "type": str(issue.get("type") or ""),
                    "rule": str(issue.get("rule") or ""),
                    "message": str(issue.get("message") or "")[:500],
                    "location": f"{issue.get('component', '')}"
                    + (f":{issue['line']}" if issue.get("line") else ""),
                }
            )
    return ParsedReport(
        QualityTool.SONARQUBE, counts, findings, source=", ".join(sorted(projects))[:300]
    )


def parse_zap(raw: bytes) -> ParsedReport:
    doc = _load(raw)
    if looks_like_sonar(doc):
        raise _bad("El archivo es una exportación de SonarQube, no un reporte de OWASP ZAP.")
    if not looks_like_zap(doc):
        raise _bad(
            "El archivo no es un reporte JSON de OWASP ZAP (formato «Traditional JSON Report» "
            "con «@programName» y «site»)."
        )
    counts = {risk: 0 for risk in _ZAP_RISKS.values()}
    findings: list[dict[str, Any]] = []
    sites = []
    for site in doc["site"]:
        if not isinstance(site, dict) or not isinstance(site.get("alerts", []), list):
            raise _bad("El reporte de OWASP ZAP tiene un sitio sin lista de alertas.")
        sites.append(str(site.get("@name") or ""))
        for alert in site.get("alerts", []):
            risk = _ZAP_RISKS.get(str(alert.get("riskcode", "")).strip())
            if risk is None:
                raise _bad(f"La alerta «{alert.get('name', '?')}» no tiene un riskcode de 0 a 3.")
            counts[risk] += 1
            instances = alert.get("instances") or []
            if len(findings) < MAX_FINDINGS:
                findings.append(
                    {
                        "key": str(alert.get("pluginid") or alert.get("alertRef") or ""),
                        "severity": risk,
                        "rule": f"CWE-{alert['cweid']}" if alert.get("cweid") else "",
                        "message": str(alert.get("name") or alert.get("alert") or "")[:500],
                        "location": str((instances[0] or {}).get("uri", "")) if instances else "",
                        "instances": int(alert.get("count") or len(instances) or 0),
                        "confidence": str(alert.get("confidence") or ""),
                    }
                )
    return ParsedReport(
        QualityTool.ZAP,
        counts,
        findings,
        source=", ".join(s for s in sites if s)[:300],
        tool_version=str(doc.get("@version") or "")[:50],
    )


PARSERS: dict[str, Any] = {QualityTool.SONARQUBE: parse_sonarqube, QualityTool.ZAP: parse_zap}


def parse_report(tool: str, raw: bytes) -> ParsedReport:
    if tool not in PARSERS:
        raise InvalidInput(errors={"tool": ["Herramienta no válida: «sonarqube» o «zap»."]})
    return PARSERS[tool](raw)  # type: ignore[no-any-return]


def judge(counts: dict[str, int], thresholds: dict[str, int]) -> str:
    """``si`` when every severity is within its maximum, else ``no``."""
    for severity, maximum in thresholds.items():
        if counts.get(severity, 0) > int(maximum):
            return Verdict.NO_CUMPLE
    return Verdict.CUMPLE


def default_gate(tool: str) -> dict[str, int]:
    return dict(DEFAULT_GATES[tool])


def exceeded(counts: dict[str, int], thresholds: dict[str, int]) -> list[str]:
    """The severities over their maximum, as «Crítica: 3 (máx. 0)»."""
    names = {key: label for tool in SEVERITIES.values() for key, label in tool}
    return [
        f"{names.get(sev, sev)}: {counts.get(sev, 0)} (máx. {maximum})"
        for sev, maximum in thresholds.items()
        if counts.get(sev, 0) > int(maximum)
    ]
