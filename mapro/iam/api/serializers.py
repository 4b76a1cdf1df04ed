"""Serializers of the accounts register API (read-only: accounts change through procedures)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Account


@extend_schema_serializer(
    description=(
        "Una cuenta del registro de cuentas de usuario y privilegios, con su persona, su estado y "
        "sus tickets y expedientes."
    )
)
class AccountSerializer(serializers.ModelSerializer[Account]):
    """One entry of the register, as the API shows it."""

    person = serializers.SerializerMethodField()
    privilege = serializers.CharField(
        read_only=True,
        help_text="Privilegio no común (vpn, redes_sociales, usb, perifericos, otro); vacío si "
        "no es un privilegio.",
    )
    status_label = serializers.CharField(read_only=True)
    due_for_removal = serializers.BooleanField(source="is_due_for_removal", read_only=True)
    tickets = serializers.SerializerMethodField()
    instances = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = [
            "id",
            "account_name",
            "kind",
            "system_name",
            "privilege",
            "status",
            "status_label",
            "due_for_removal",
            "person",
            "regime",
            "granted_on",
            "removed_on",
            "service_start",
            "service_end",
            "authorizing_documents",
            "removal_reason",
            "tickets",
            "instances",
        ]
        read_only_fields = fields

    def get_person(self, account: Account) -> dict[str, str]:
        person = account.person
        return {"name": person.full_name, "dni": person.dni, "unit": person.unit.code}

    def get_tickets(self, account: Account) -> list[str]:
        return [t.number for t in account.tickets.all()]

    def get_instances(self, account: Account) -> list[int]:
        return [i.pk for i in account.instances.all()]
