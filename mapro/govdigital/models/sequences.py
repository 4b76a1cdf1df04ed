"""Correlatives per prefix and year (risks ``RIE``, CGD sessions ``CGD``)."""

from __future__ import annotations

from django.db import models


class Sequence(models.Model):
    """The last number given for ``prefix`` in ``year``; incremented with ``UPDATE … SET last =
    last + 1`` in the transaction that uses it, so numbers never repeat nor leave gaps."""

    prefix = models.CharField("prefijo", max_length=10)
    year = models.PositiveIntegerField("año")
    last = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "correlativo"
        verbose_name_plural = "correlativos"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="govdigital_sequence_once")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"
