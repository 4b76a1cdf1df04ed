"""A row names another table's row with a ``ForeignKey``; the few columns that name one by
value do so on purpose, each listed with its reason in docs/architecture.md ("References kept
as values, not foreign keys"). A new integer ``*_id`` column, or a ``*_code``/``ticket`` text
column, fails here until it is a foreign key or is written down there."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

#: The columns that name another table's row by value (docs/architecture.md gives each reason).
BY_VALUE = {
    "directory.DirectoryOperation.account_id",
    "datacenter.Visit.synced_record_id",
    "helpdesk.Category.procedure_code",
    "systems.ChangeRecord.procedure_code",
    "schedules.PlanItem.equipment_code",
    "assets.CertAssignment.ticket",
    "assets.PhoneAssignment.ticket",
    "assets.BlockEntry.ticket",
    "assets.RestoreRequest.ticket",
    "inventory.Maintenance.ticket",
    "datacenter.Visit.ticket_number",
    "documents.Document.unit_code",
}

#: Columns the patterns below catch that name no row of ours at all.
NOT_REFERENCES = {
    # The item's own patrimonial code (SBN), not a reference.
    "assets.CertDevice.patrimonial_code",
    "assets.PhoneEquipment.patrimonial_code",
    "inventory.Equipment.patrimonial_code",
    "sgsi.InformationAsset.patrimonial_code",
    # A cell of an uploaded HR list, kept as read (the differences name the unit found).
    "hr.ReconciliationRow.unit_code",
}


def _suspects() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("mapro."):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation or field.primary_key:
                continue
            name = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            integer = isinstance(field, models.IntegerField)
            text = isinstance(field, models.CharField)
            if (integer and re.search(r"_(id|pk)$", field.name)) or (
                text and re.search(r"(_code|^ticket|_ticket|ticket_number)$", field.name)
            ):
                found.add(name)
    return found


def test_every_column_naming_a_row_by_value_is_a_documented_choice() -> None:
    assert _suspects() - NOT_REFERENCES == BY_VALUE


def test_the_list_and_the_architecture_document_agree() -> None:
    text = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("### References kept as values, not foreign keys", 1)[1]
    section = section.split("\n#", 1)[0]
    missing = sorted(name for name in BY_VALUE if f"`{name}`" not in section)
    assert missing == []
