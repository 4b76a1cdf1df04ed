"""What S04.04.00.02's forms propose from a reported message (``register_form_proposal``).

- Activity 5 (Analizar el correo): the analysis of the message the reporter forwarded to the
  phishing mailbox — sender, links, attachments with their SHA-256, the public IPs of the
  ``Received`` chain, and a summary (Return-Path, Reply-To) — for the analyst to confirm or
  correct.
- Activities 6 and 9 (acciones de prevención): the block list proposed from what the analyst
  confirmed in activity 5 (sender account and domain, links, IPs); submitting the step is what
  puts them in the block list (``assets``' handler of ``{register: Lista de bloqueos…}``).
"""

from __future__ import annotations

from typing import Any

from mapro.procedures.models import TaskRecord

from ..models import InboundMail
from .analysis import summary

PHISHING = "S04.04.00.02"


def propose_analysis(item: Any) -> dict[str, Any]:
    mail = (
        InboundMail.objects.filter(instance_id=item.instance_id)
        .exclude(analysis={})
        .order_by("id")
        .first()
    )
    if mail is None:
        return {}
    found = mail.analysis
    proposal: dict[str, Any] = {
        "enlaces": [{"url": url[:2000]} for url in found.get("enlaces") or []],
        "adjuntos": [
            {"nombre": a["nombre"][:300], "hash": a["hash"]} for a in found.get("adjuntos") or []
        ],
        "ips_publicas": [{"ip": ip} for ip in found.get("ips_publicas") or []],
        "resultado_analisis": summary(found),
    }
    if found.get("remitente"):
        proposal["remitente"] = found["remitente"][:320]
    return {k: v for k, v in proposal.items() if v}


def propose_blocks(item: Any) -> dict[str, Any]:
    record = TaskRecord.objects.filter(instance_id=item.instance_id, n=5).order_by("-id").first()
    if record is None:
        return {}
    data = record.data or {}
    blocks: list[dict[str, str]] = []
    sender = str(data.get("remitente") or "").strip()
    if "@" in sender:
        blocks.append({"tipo": "cuenta", "valor": sender})
        blocks.append({"tipo": "dominio", "valor": sender.rsplit("@", 1)[1]})
    blocks += [
        {"tipo": "enlace", "valor": str(row["url"])}
        for row in data.get("enlaces") or []
        if isinstance(row, dict) and row.get("url")
    ]
    blocks += [
        {"tipo": "ip", "valor": str(row["ip"])}
        for row in data.get("ips_publicas") or []
        if isinstance(row, dict) and row.get("ip")
    ]
    return {"bloqueos": blocks} if blocks else {}
