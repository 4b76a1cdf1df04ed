"""Login and logout pages."""

from typing import Any

from django.contrib.auth import views as auth_views

from .forms import LoginForm
from .middleware import SESSION_EXPIRED_FLAG

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
