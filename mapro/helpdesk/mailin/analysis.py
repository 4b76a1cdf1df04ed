"""Reading a message: who sent it, its thread, its attachments, and a phishing report's analysis.

A report forwarded to the phishing mailbox carries the suspicious message either attached
(``message/rfc822``, what "Reenviar como datos adjuntos" does) or inline (a plain "Reenviar");
``reported_message`` finds the original. Its analysis is what S04.04.00.02 activity 5 asks:
sender and Return-Path, the public IP addresses of the ``Received`` chain (private, loopback and
reserved ones are left out), the links of its text and HTML, and its attachments' names and
SHA-256.
"""

from __future__ import annotations

import email
import hashlib
import ipaddress
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser
from typing import Any

#: Extensions and magic numbers of programs: refused in the help-desk mailbox.
EXECUTABLE_EXTENSIONS = {
    ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".msp", ".js", ".jse",
    ".vbs", ".vbe", ".wsf", ".ps1", ".hta", ".jar", ".lnk", ".cpl", ".sh", ".elf", ".apk",
}  # fmt: skip
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"#!")

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?i)(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![0-9a-f:])")
_URL = re.compile(r"(?i)\bhttps?://[^\s<>\"')\]]+")


class MalformedMessage(Exception):
    """The message cannot be read as mail (no sender, unparsable)."""


@dataclass
class Attachment:
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def is_executable(self) -> bool:
        lower = self.name.lower()
        if any(lower.endswith(ext) for ext in EXECUTABLE_EXTENSIONS):
            return True
        return self.content.startswith(EXECUTABLE_MAGIC) or self.content_type in (
            "application/x-msdownload",
            "application/x-executable",
            "application/x-dosexec",
        )


@dataclass
class ParsedMail:
    message: EmailMessage
    sender: str
    sender_name: str
    subject: str
    message_id: str
    in_reply_to: str
    references: list[str]
    text: str
    attachments: list[Attachment] = field(default_factory=list)


def parse(raw: bytes) -> ParsedMail:
    """Read ``raw``; raises MalformedMessage when it has no usable sender."""
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # the parser is lenient; anything raised here is a broken message
        raise MalformedMessage(f"El mensaje no se puede leer: {exc}") from exc
    assert isinstance(message, EmailMessage)
    try:
        name, address = parseaddr(str(message.get("From", "")))
    except Exception:
        name, address = "", ""
    if "@" not in address:
        raise MalformedMessage("El mensaje no tiene un remitente (From) válido.")
    return ParsedMail(
        message=message,
        sender=address.strip().lower(),
        sender_name=name.strip(),
        subject=_header(message, "Subject")[:300],
        message_id=_header(message, "Message-ID")[:300],
        in_reply_to=_header(message, "In-Reply-To")[:300],
        references=_header(message, "References").split(),
        text=body_text(message),
        attachments=attachments_of(message),
    )


def _header(message: Message, name: str) -> str:
    try:
        return " ".join(str(message.get(name, "") or "").split())
    except Exception:
        return ""


def body_text(message: EmailMessage) -> str:
    """The message's text: its text/plain part, else its HTML without tags."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except Exception:
        return ""
    if part.get_content_type() == "text/html":
        return _html_text(str(content))
    return str(content).strip()


def attachments_of(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        if part.get_content_type() == "message/rfc822":
            continue  # a forwarded message: the phishing intake reads it as the original
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = part.get_filename() or "adjunto"
        found.append(Attachment(name=name, content=payload, content_type=part.get_content_type()))
    return found


def reported_message(message: EmailMessage) -> tuple[EmailMessage, bytes]:
    """The suspicious message a report forwards: the attached one, or the report itself."""
    for part in message.iter_attachments():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            original = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(original, Message):
                data = original.as_bytes(policy=policy.default)
                reparsed = email.message_from_bytes(data, policy=policy.default)
                assert isinstance(reparsed, EmailMessage)
                return reparsed, data
    return message, message.as_bytes(policy=policy.default)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (
                name in ("href", "src")
                and value
                and value.lower().startswith(("http://", "https://"))
            ):
                self.links.append(value.strip())

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _html_text(html: str) -> str:
    parser = _Links()
    parser.feed(html)
    return " ".join(" ".join(parser.text).split())


def public_ips(message: Message) -> list[str]:
    """The public addresses named in the ``Received`` chain, first hop (nearest us) first."""
    found: list[str] = []
    for header in message.get_all("Received") or []:
        text = str(header)
        for candidate in _IPV4.findall(text) + _IPV6.findall(text):
            try:
                address = ipaddress.ip_address(candidate)
            except ValueError:
                continue
            if address.is_global and str(address) not in found:
                found.append(str(address))
    return found


def links(message: EmailMessage) -> list[str]:
    found: list[str] = []
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        try:
            content = str(part.get_content())
        except Exception:  # noqa: S112 (an undecodable part has no links to read)
            continue
        candidates = _URL.findall(content)
        if part.get_content_type() == "text/html":
            parser = _Links()
            parser.feed(content)
            candidates = parser.links + candidates
        for url in candidates:
            url = url.rstrip(".,;")
            if url not in found:
                found.append(url)
    return found


def analyse(message: EmailMessage) -> dict[str, Any]:
    """The analysis of a reported message (S04.04.00.02, activity 5's fields)."""
    _, sender = parseaddr(str(message.get("From", "")))
    _, return_path = parseaddr(str(message.get("Return-Path", "")))
    reply_to = [a for _, a in getaddresses([str(message.get("Reply-To", ""))]) if a]
    files = [
        {"nombre": a.name, "hash": a.sha256, "ejecutable": a.is_executable}
        for a in attachments_of(message)
    ]
    return {
        "remitente": sender.lower(),
        "return_path": return_path.lower(),
        "responder_a": reply_to,
        "asunto": _header(message, "Subject"),
        "fecha": _header(message, "Date"),
        "ips_publicas": public_ips(message),
        "enlaces": links(message),
        "adjuntos": files,
    }


def summary(analysis: dict[str, Any]) -> str:
    """The analysis in words, for activity 5's "Resultado del análisis" (the analyst edits it)."""
    lines = [f"Remitente: {analysis.get('remitente') or '—'}"]
    if analysis.get("return_path") and analysis["return_path"] != analysis.get("remitente"):
        lines.append(f"Return-Path distinto del remitente: {analysis['return_path']}")
    if analysis.get("responder_a"):
        lines.append(f"Responder a: {', '.join(analysis['responder_a'])}")
    ips = analysis.get("ips_publicas") or []
    lines.append(f"IP públicas en la cadena Received: {', '.join(ips) or 'ninguna'}")
    lines.append(f"Enlaces: {len(analysis.get('enlaces') or [])}")
    for item in analysis.get("adjuntos") or []:
        flag = " (ejecutable)" if item.get("ejecutable") else ""
        lines.append(f"Adjunto: {item['nombre']}{flag} SHA-256 {item['hash']}")
    return "\n".join(lines)
