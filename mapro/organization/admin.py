"""Administration of the organization (Django admin, in Spanish).

Every save goes through the actions of ``actions.py`` so that it is validated the same way and
audited; nothing here writes a model directly. Nothing is deleted: units and entities are
deactivated, people get a "vigente hasta" date, and assignments are ended, so history stays.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from mapro.core.exceptions import MaproError

from .actions import (
    PERSON_FIELDS,
    do_assign_role,
    do_create_external_organization,
    do_create_person,
    do_create_unit,
    do_end_role_assignment,
    do_import_people,
    do_update_external_organization,
    do_update_person,
    do_update_unit,
)
from .forms import (
    ExternalOrganizationAdminForm,
    PeopleImportForm,
    PersonAdminForm,
    RoleAssignmentInlineForm,
    RoleAssignmentInlineFormSet,
    UnitAdminForm,
)
from .importing import COLUMNS, ImportRejected
from .models import ExternalOrganization, Person, Role, RoleAssignment, Unit
from .models.roles import current_assignment_q


def _adopt(obj: Any, saved: Any) -> None:
    """Make the admin's unsaved ``obj`` stand for the row an action created."""
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


def _changes(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in fields}


class NoDeleteMixin:
    """Nothing in the organization is deleted (see the module docstring)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ("tree_name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    ordering = ("path",)
    list_select_related = ("parent",)
    list_per_page = 200

    @admin.display(description="unidad", ordering="path")
    def tree_name(self, unit: Unit) -> str:
        return format_html('<span style="padding-left:{}em">{}</span>', 1.5 * unit.depth, unit.name)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        fields = ("code", "name", "kind", "parent", "is_active")
        if change:
            do_update_unit(obj, actor=request.user, **_changes(form, fields))
        else:
            data = {name: form.cleaned_data[name] for name in fields}
            _adopt(obj, do_create_unit(actor=request.user, **data))


@admin.register(ExternalOrganization)
class ExternalOrganizationAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = ExternalOrganizationAdminForm
    list_display = ("code", "name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")

    def save_model(
        self, request: HttpRequest, obj: ExternalOrganization, form: Any, change: bool
    ) -> None:
        fields = ("code", "name", "kind", "is_active")
        if change:
            do_update_external_organization(obj, actor=request.user, **_changes(form, fields))
        else:
            data = {name: form.cleaned_data[name] for name in fields}
            _adopt(obj, do_create_external_organization(actor=request.user, **data))


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """The role catalog is defined in code (roles.md, loaded by ``mapro seed``): read-only."""

    list_display = ("code", "name", "unit_scoped", "inside_ogtie", "holders")
    list_filter = ("inside_ogtie", "unit_scoped")
    search_fields = ("code", "name")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Role]:
        current = current_assignment_q(timezone.localdate(), prefix="assignments__")
        holders = Count("assignments", filter=current)
        return super().get_queryset(request).annotate(n_holders=holders)

    @admin.display(description="asignaciones vigentes", ordering="n_holders")
    def holders(self, role: Any) -> int:
        return role.n_holders

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CurrentFilter(admin.SimpleListFilter):
    """Vigentes today or not (an open date counts as vigente)."""

    title = "vigencia"
    parameter_name = "vigente"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("si", "Vigentes"), ("no", "No vigentes")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        current = self.current_q(timezone.localdate())
        if self.value() == "si":
            return queryset.filter(current)
        if self.value() == "no":
            return queryset.exclude(current)
        return queryset

    def current_q(self, today: Any) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
            Q(valid_until__isnull=True) | Q(valid_until__gte=today)
        )


class CurrentAssignmentFilter(CurrentFilter):
    """An assignment is vigente by ``current_assignment_q``: its person's term counts too."""

    def current_q(self, today: Any) -> Q:
        return current_assignment_q(today)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentInlineForm
    formset = RoleAssignmentInlineFormSet
    extra = 1
    can_delete = False
    fields = ("role", "unit", "valid_from", "valid_until")
    verbose_name_plural = (
        "roles (para quitar un rol, indique su último día en «vigente hasta»; "
        "las asignaciones no se borran)"
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleAssignment]:
        return super().get_queryset(request).select_related("role", "unit")


@admin.register(Person)
class PersonAdmin(NoDeleteMixin, admin.ModelAdmin):
    form = PersonAdminForm
    inlines = (RoleAssignmentInline,)
    list_display = ("last_name", "first_name", "dni", "unit", "cargo", "regime", "valid_until",
                    "user")  # fmt: skip
    list_display_links = ("last_name", "first_name")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "regime", CurrentFilter)
    search_fields = ("first_name", "last_name", "dni", "email", "cargo")
    list_select_related = ("unit", "user")
    raw_id_fields = ("user",)
    change_list_template = "admin/organization/person/change_list.html"
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "dni", "cargo", "email")}),
        ("Unidad y contratación", {"fields": ("unit", "regime", "valid_from", "valid_until",
                                              "external_organization")}),
        ("Acceso", {"fields": ("user",)}),
    )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if change:
            do_update_person(obj, actor=request.user, **_changes(form, PERSON_FIELDS))
        else:
            data = {name: form.cleaned_data.get(name) for name in PERSON_FIELDS}
            for blank in ("cargo", "email"):
                data[blank] = data[blank] or ""
            _adopt(obj, do_create_person(actor=request.user, **data))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleAssignment:
            super().save_formset(request, form, formset, change)
            return
        person = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if not inline.has_changed() or not hasattr(inline, "cleaned_data"):
                continue
            data = inline.cleaned_data
            if inline.instance.pk is None:
                assignment = do_assign_role(
                    person, data["role"], actor=request.user, unit=data.get("unit"),
                    valid_from=data.get("valid_from"), valid_until=data.get("valid_until"),
                )  # fmt: skip
                formset.new_objects.append(assignment)
            elif "valid_until" in inline.changed_data:
                assignment = do_end_role_assignment(
                    inline.instance, actor=request.user, last_day=data["valid_until"]
                )
                formset.changed_objects.append((assignment, ["valid_until"]))

    # --- import ---------------------------------------------------------------------------

    def get_urls(self) -> list[Any]:
        urls = [
            path(
                "importar/",
                self.admin_site.admin_view(self.import_view),
                name="organization_person_import",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV/XLSX of people; show every invalid row, or import them all."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            return HttpResponse(status=403)
        errors: list[Any] = []
        file_error = ""
        form = PeopleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = do_import_people(upload, actor=request.user, filename=upload.name)
            except ImportRejected as exc:
                errors = exc.row_errors
                file_error = exc.message
            except MaproError as exc:
                file_error = exc.message
            else:
                self.message_user(
                    request, f"Importación completa: {result}.", level=messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:organization_person_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Importar personas",
            "opts": self.model._meta,
            "form": form,
            "row_errors": errors,
            "file_error": file_error,
            "columns": COLUMNS,
        }
        return TemplateResponse(request, "admin/organization/person/import.html", context)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Who holds which role. New assignments are made from the person's page; here an
    assignment can only be ended (its last day set)."""

    list_display = ("person", "role", "unit", "valid_from", "valid_until")
    list_filter = ("role", CurrentAssignmentFilter, ("unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("person__first_name", "person__last_name", "person__dni", "role__code")
    list_select_related = ("person", "role", "unit")
    fields = ("person", "role", "unit", "valid_from", "valid_until")
    readonly_fields = ("person", "role", "unit", "valid_from")
    actions = ("end_selected",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        if "valid_until" in form.changed_data:
            until = form.cleaned_data["valid_until"]
            if until is None:
                self.message_user(
                    request,
                    "Una asignación terminada no se reabre: cree una nueva desde la persona.",
                    level=messages.ERROR,
                )
                return
            do_end_role_assignment(obj, actor=request.user, last_day=until)

    @admin.action(description="Terminar las asignaciones seleccionadas (último día: ayer)")
    def end_selected(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        ended, failed = 0, []
        for assignment in queryset.select_related("person", "role"):
            try:
                do_end_role_assignment(assignment, actor=request.user)
                ended += 1
            except MaproError as exc:
                details = " ".join(m for msgs in exc.errors.values() for m in msgs)
                failed.append(f"{assignment}: {details or exc.message}")
        if ended:
            self.message_user(request, f"{ended} asignaciones terminadas.", messages.SUCCESS)
        for message in failed:
            self.message_user(request, message, messages.ERROR)
