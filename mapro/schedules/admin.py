"""Admin for the business calendar's exceptions, through the audited actions.

Adding, editing and deleting here (one by one or in bulk) calls ``do_create_…``,
``do_update_…`` and ``do_delete_calendar_exception``; a refusal is shown as a message.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mapro.core.exceptions import InvalidInput, MaproError

from .actions import (
    can_change_calendar,
    check_calendar_exception,
    do_create_calendar_exception,
    do_delete_calendar_exception,
    do_update_calendar_exception,
)
from .actions.cronogramas import can_manage_schedules, do_approve_schedule
from .models import (
    CalendarException,
    CalendarFeedToken,
    DeadlineNotice,
    Schedule,
    ScheduleOccurrence,
)


class CalendarExceptionForm(forms.ModelForm):
    """Validates with the action's own checks, so the form shows the same messages."""

    class Meta:
        model = CalendarException
        fields = ["date", "kind", "description", "legal_basis"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            check_calendar_exception(
                # On change the date is read-only, so it is not among the cleaned data.
                date=data.get("date", self.instance.date),
                kind=data.get("kind"),
                description=data.get("description"),
                exclude_pk=self.instance.pk,
            )
        except InvalidInput as exc:
            for field, problems in exc.errors.items():
                for problem in problems:
                    self.add_error(field if field in self.fields else None, problem)
        return data


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    form = CalendarExceptionForm
    list_display = ["date", "weekday", "kind", "description", "legal_basis"]
    list_filter = ["kind"]
    search_fields = ["description", "legal_basis"]
    date_hierarchy = "date"
    ordering = ["-date"]
    actions = ["delete_selected_exceptions"]

    @admin.display(description="día")
    def weekday(self, obj: CalendarException) -> str:
        return ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"][
            obj.date.weekday()
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["date"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # Django's bulk delete skips our action
        return actions

    def has_add_permission(self, request: HttpRequest) -> bool:
        return can_change_calendar(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_change_calendar(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_change_calendar(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = do_update_calendar_exception(
                obj,
                actor=request.user,
                kind=data["kind"],
                description=data["description"],
                legal_basis=data.get("legal_basis", ""),
            )
        else:
            saved = do_create_calendar_exception(
                data["date"],
                data["kind"],
                data["description"],
                actor=request.user,
                legal_basis=data.get("legal_basis", ""),
            )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        do_delete_calendar_exception(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            do_delete_calendar_exception(obj, actor=request.user)

    @admin.action(description="Eliminar las excepciones seleccionadas")
    def delete_selected_exceptions(
        self, request: HttpRequest, queryset: QuerySet[CalendarException]
    ) -> None:
        count = 0
        for obj in queryset:
            try:
                do_delete_calendar_exception(obj, actor=request.user)
            except MaproError as exc:
                messages.error(request, f"{obj}: {exc.message}")
            else:
                count += 1
        if count:
            messages.success(request, f"{count} excepción(es) eliminada(s).")


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Staff see these rows; they change only through the actions (the cronograma pages, the
    API, the worker), so the admin cannot bypass their checks and audit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff)


@admin.register(Schedule)
class ScheduleAdmin(_ReadOnlyAdmin):
    list_display = [
        "name",
        "procedure",
        "start_key",
        "unit",
        "role",
        "status",
        "next_occurrence_at",
    ]
    list_filter = ["status"]
    search_fields = ["name", "procedure__code"]
    actions = ["approve_selected"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not can_manage_schedules(request.user):
            actions.pop("approve_selected", None)
        return actions

    @admin.action(description="Aprobar los cronogramas seleccionados")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Schedule]) -> None:
        count = 0
        for obj in queryset:
            try:
                do_approve_schedule(obj, actor=request.user)
            except MaproError as exc:
                problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
                messages.error(request, f"{obj}: {' '.join(problems)}")
            else:
                count += 1
        if count:
            messages.success(request, f"{count} cronograma(s) aprobado(s).")


@admin.register(ScheduleOccurrence)
class ScheduleOccurrenceAdmin(_ReadOnlyAdmin):
    list_display = ["schedule", "occurs_at", "status", "instance", "handled_at"]
    list_filter = ["status"]


@admin.register(DeadlineNotice)
class DeadlineNoticeAdmin(_ReadOnlyAdmin):
    list_display = ["work_item", "kind", "sent_at", "recipients"]
    list_filter = ["kind"]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(_ReadOnlyAdmin):
    list_display = ["user", "created_at", "last_used_at"]
    exclude = ["token_hash"]
