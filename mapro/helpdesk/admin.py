"""Spanish admin for the help-desk catalogue: the category tree and the SLA targets.

Saves go through ``actions.catalog`` (validated and audited). Categories are never deleted
(tickets point at them): deactivate them instead. Tickets are not edited here; they change
only through the ticket actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from .actions.catalog import do_delete_sla_target, do_save_category, do_save_sla_target
from .models import Category, SlaTarget


class SlaTargetInline(admin.TabularInline):
    model = SlaTarget
    extra = 0
    fields = ("priority", "response_minutes", "resolution_minutes")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "code", "team", "procedure_code", "is_active")
    list_filter = ("is_active", "team")
    search_fields = ("code", "name", "procedure_code")
    ordering = ("path",)
    list_select_related = ("team",)
    list_per_page = 200
    inlines = [SlaTargetInline]
    fields = (
        "code",
        "name",
        "parent",
        "team",
        "procedure_code",
        "description",
        "requirements",
        "is_active",
    )

    @admin.display(description="categoría", ordering="path")
    def tree_name(self, category: Category) -> str:
        return format_html(
            '<span style="padding-left:{}em">{}</span>', 1.5 * category.depth, category.name
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        do_save_category(obj, actor=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        targets = formset.save(commit=False)
        for target in formset.deleted_objects:
            do_delete_sla_target(target, actor=request.user)
        for target in targets:
            do_save_sla_target(target, actor=request.user)
        formset.save_m2m()


@admin.register(SlaTarget)
class SlaTargetAdmin(admin.ModelAdmin):
    list_display = ("category", "priority", "response_minutes", "resolution_minutes")
    list_filter = ("priority",)
    search_fields = ("category__name", "category__code")
    list_select_related = ("category",)

    def save_model(self, request: HttpRequest, obj: SlaTarget, form: Any, change: bool) -> None:
        do_save_sla_target(obj, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: SlaTarget) -> None:
        do_delete_sla_target(obj, actor=request.user)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would skip the audit
        return actions
