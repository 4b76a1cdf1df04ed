"""Login and logout pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from mapro.core.exceptions import InvalidInput
from mapro.core.middleware import client_address

from .forms import LoginForm
from .middleware import SESSION_EXPIRED_FLAG
from .unlock import do_request_unlock_code, do_unlock_with_code

EXPIRED_MESSAGES = {
    "idle": "Su sesión se cerró por inactividad. Ingrese nuevamente.",
    "absolute": "Su sesión alcanzó el tiempo máximo permitido. Ingrese nuevamente.",
}


class LoginView(auth_views.LoginView):
    """The login page (``/cuenta/ingresar/``); a signed-in user is sent on to the home page."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        reason = self.request.session.pop(SESSION_EXPIRED_FLAG, None)
        context["expired_message"] = EXPIRED_MESSAGES.get(reason or "")
        return context


class LogoutView(auth_views.LogoutView):
    """Logout (POST only, as Django requires); then back to the login page."""


class UnlockView(View):
    """``/cuenta/desbloquear/``: the owner lifts their login wait with a mailed code.

    Step 1 (``usuario``): ask for a code; the answer is the same whether or not the account
    exists, waits or has a mail address. Step 2 (``usuario`` and ``codigo``): use it.
    """

    template_name = "accounts/unlock.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"step": "request"})

    def post(self, request: HttpRequest) -> HttpResponse:
        username = str(request.POST.get("usuario", ""))[:150].strip()
        address = client_address(request)
        if "codigo" not in request.POST:
            if not username:
                return render(
                    request,
                    self.template_name,
                    {"step": "request", "errors": {"usuario": ["Escriba su usuario."]}},
                    status=400,
                )
            do_request_unlock_code(username, address=address)
            return render(request, self.template_name, {"step": "code", "usuario": username})
        try:
            do_unlock_with_code(username, str(request.POST.get("codigo", ""))[:20], address=address)
        except InvalidInput as exc:
            context = {"step": "code", "usuario": username, "errors": exc.errors}
            return render(request, self.template_name, context, status=400)
        messages.success(request, "Su ingreso quedó desbloqueado. Ingrese con su contraseña.")
        return redirect("accounts:login")
