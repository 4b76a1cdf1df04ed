"""Admin: the cases ("expedientes"), read only, to find them — demo ones included.

Cases change only through the engine's actions (start, complete, return, move, cancel), so the
admin neither adds, edits nor deletes them; it lists them with filters (status, procedure, demo
data from ``mapro seed --demo``) and links each to its page.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .models import Instance


@admin.register(Instance)
class InstanceAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "procedure",
        "status",
        "is_demo",
        "unit",
        "started_by_name",
        "started_at",
        "page",
    ]
    list_filter = ["is_demo", "status", "procedure_version__procedure__code"]
    list_select_related = ["procedure_version__procedure", "unit"]
    search_fields = ["=id", "started_by_name", "procedure_version__procedure__code"]
    readonly_fields = [
        "procedure_version",
        "start_key",
        "status",
        "is_demo",
        "unit",
        "started_by_name",
        "started_at",
        "ended_at",
        "cancel_reason",
        "failure",
    ]
    fields = list(readonly_fields)
    date_hierarchy = "started_at"

    @admin.display(description="procedimiento", ordering="procedure_version__procedure__code")
    def procedure(self, obj: Instance) -> str:
        return str(obj.procedure_version.procedure.code)

    @admin.display(description="página")
    def page(self, obj: Instance) -> str:
        url = reverse("procedures:instance_detail", args=[obj.pk])
        return format_html('<a href="{}">Ver expediente</a>', url)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).defer("state")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
