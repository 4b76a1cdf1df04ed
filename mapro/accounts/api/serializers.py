"""Serializers of the authentication endpoints."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(
    description="Credenciales (usuario y contraseña) que se canjean por un token de la API."
)
class TokenRequestSerializer(serializers.Serializer):
    """Credentials exchanged for an API token."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


@extend_schema_serializer(
    description=(
        "El token de la API, en claro: se muestra solo esta vez (se guarda únicamente su hash)."
    )
)
class TokenSerializer(serializers.Serializer):
    """The raw token, shown once: only its hash is stored."""

    token = serializers.CharField()


@extend_schema_serializer(
    description=(
        "Quién llama: usuario, nombres y apellidos, y los códigos de los roles que tiene hoy."
    )
)
class MeSerializer(serializers.Serializer):
    """Who the caller is: username, full name and the role codes held today."""

    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    description=(
        "Un rol que quien llama tiene hoy y dónde: la sigla de una unidad, o null en todo el "
        "MINDEF."
    )
)
class RoleGrantSerializer(serializers.Serializer):
    """A role the caller holds today, and where: a unit code, or null across MINDEF."""

    role = serializers.CharField(help_text="Código del rol (roles.md).")
    unit = serializers.CharField(
        allow_null=True,
        help_text="Sigla de la unidad que cubre (y las que dependen de ella); null: todo "
        "el MINDEF.",
    )


@extend_schema_serializer(description="Quién llama, con cada rol que tiene hoy y su unidad.")
class CallerSerializer(serializers.Serializer):
    """``GET /api/v1/me/``: who the caller is, with each role and its unit."""

    username = serializers.CharField()
    name = serializers.CharField(help_text="Nombres y apellidos.")
    unit = serializers.CharField(
        allow_null=True,
        help_text="Sigla de la unidad donde trabaja (la unidad solicitante por defecto); null "
        "si no está registrado como persona.",
    )
    roles = RoleGrantSerializer(many=True)
