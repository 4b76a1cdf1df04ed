"""Admin for access: users (deactivation through the action), API tokens, login locks.

Changes made here go through the audited actions: unticking "activo" on a user, or the
"Desactivar" bulk action, calls ``do_deactivate_user`` (sessions ended, tokens revoked);
revoking a token and lifting a login lock are audited too.
"""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from mapro.core.exceptions import MaproError

from .actions import do_deactivate_user, do_revoke_api_token, do_unlock_login
from .models import ApiToken, LoginThrottle

User = get_user_model()


def _run(request: HttpRequest, func: Any, objects: Any, done: str) -> None:
    count = 0
    for obj in objects:
        try:
            func(obj, actor=request.user)
        except MaproError as exc:
            messages.error(request, f"{obj}: {exc.message}")
        else:
            count += 1
    if count:
        messages.success(request, done.format(count=count))


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MaproUserAdmin(UserAdmin):
    actions = ["deactivate"]

    @admin.action(description="Desactivar (cierra sus sesiones y revoca sus tokens)")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        _run(request, do_deactivate_user, queryset, "{count} usuario(s) desactivado(s).")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        if was_active and not obj.is_active:
            # Save the other edits with the account still active, then deactivate through
            # the action so that sessions and tokens go too, audited.
            obj.is_active = True
            super().save_model(request, obj, form, change)
            try:
                do_deactivate_user(obj, actor=request.user)
            except MaproError as exc:
                messages.error(request, f"No se desactivó la cuenta: {exc.message}")
            return
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by POST /api/v1/auth/token/

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke through the audited action below

    @admin.action(description="Revocar los tokens seleccionados")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        _run(
            request,
            do_revoke_api_token,
            queryset.select_related("user"),
            "{count} token(s) revocado(s).",
        )


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["scope", "key", "failures", "refused", "last_failure_at", "locked_until"]
    list_filter = ["scope"]
    search_fields = ["key"]
    readonly_fields = [
        "scope",
        "key",
        "failures",
        "window_started_at",
        "last_failure_at",
        "locked_until",
        "refused",
    ]
    actions = ["unlock"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Desbloquear (permitir nuevos intentos ya)")
    def unlock(self, request: HttpRequest, queryset: QuerySet[LoginThrottle]) -> None:
        _run(request, do_unlock_login, queryset, "{count} bloqueo(s) levantado(s).")
