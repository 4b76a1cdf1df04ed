"""The login form: one generic error whatever went wrong."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

# The same words for an unknown user, a wrong password, an inactive account and a throttled
# account or address, so that the answer never tells whether an account exists.
LOGIN_FAILED_MESSAGE = (
    "No se pudo iniciar sesión. Verifique su usuario y contraseña. Si el problema continúa, "
    "espere unos minutos antes de volver a intentarlo o comuníquese con la mesa de ayuda."
)


class LoginForm(AuthenticationForm):
    """Django's AuthenticationForm in Spanish, with one generic error message.

    Authentication (and so the throttle) happens in ``ThrottledModelBackend``.
    """

    username = forms.CharField(
        label="Usuario",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Contraseña",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": LOGIN_FAILED_MESSAGE,
        "inactive": LOGIN_FAILED_MESSAGE,
    }
