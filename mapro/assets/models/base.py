"""What the phone and certificate-device assignments share."""

from __future__ import annotations

from django.db import models

from mapro.core.fields import instance_link, user_link


class AssignmentBase(models.Model):
    """One period during which a device is in someone's hands (abstract).

    An assignment is *open* while ``returned_on`` is empty; each concrete model keeps, with a
    partial unique index, at most one open assignment per device, so a device can never be
    assigned twice at once, even under concurrent requests. ``holder_name`` is copied (the
    holder may be named only by the procedure's form, without a registered person).
    """

    holder = models.ForeignKey(
        "organization.Person",
        verbose_name="titular",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_name = models.CharField("titular (nombre)", max_length=200)
    unit = models.ForeignKey(
        "organization.Unit", verbose_name="unidad", on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField("fecha de asignación")
    acta_entrega = models.CharField("acta de entrega", max_length=300, blank=True)
    returned_on = models.DateField("fecha de devolución", null=True, blank=True)
    return_reason = models.CharField("motivo de la devolución", max_length=300, blank=True)
    return_notes = models.TextField("observaciones de la devolución", blank=True)
    received_by_name = models.CharField("recibido por (OGTIE)", max_length=200, blank=True)
    instance = instance_link()
    # The form's "N° de ticket" as typed (maybe not ours); the FK is `instance`
    # (docs/architecture.md, "References kept as values").
    ticket = models.CharField("N° de ticket", max_length=50, blank=True)
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.returned_on is None
