"""``/api/v1/auth/``: exchange credentials for a token, and say who the caller is."""

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.accounts.actions import do_issue_api_token
from mapro.accounts.forms import LOGIN_FAILED_MESSAGE
from mapro.core.api.openapi import extend_schema
from mapro.organization.models import Unit
from mapro.organization.permissions import grants_for, role_codes

from .serializers import CallerSerializer, MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    """``POST /api/v1/auth/token/``: a new API token for valid credentials.

    The same throttle as the login page applies (it lives in the authentication backend), and
    the same generic message answers every failure.
    """

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"

    @extend_schema(
        operation_id="auth_token_create",
        summary="Obtener un token de API",
        description=(
            "Intercambia usuario y contraseña por un token. Úselo luego en la cabecera "
            "`Authorization: Token <token>`. Solo se guarda el hash del token: consérvelo, "
            "no se vuelve a mostrar. Los intentos fallidos se limitan por cuenta y por "
            "dirección de origen."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Faltan campos o no son válidos."),
            401: OpenApiResponse(description="Credenciales no aceptadas."),
        },
        examples=[
            OpenApiExample(
                "Credenciales",
                value={"username": "operador-mesa", "password": "…"},
                request_only=True,
            )
        ],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise exceptions.AuthenticationFailed(LOGIN_FAILED_MESSAGE)
        _token, raw = do_issue_api_token(user, actor=user)
        return Response(TokenSerializer({"token": raw}).data)


class MeView(APIView):
    """``GET /api/v1/auth/me/``: the caller's username, full name and current role codes."""

    @extend_schema(
        operation_id="auth_me_retrieve",
        summary="Usuario autenticado",
        description=(
            "Quién llama: su nombre de usuario, su nombre completo y los códigos de los roles "
            "que tiene hoy (roles.md), sin su unidad; `GET /api/v1/me/` da además la unidad de "
            "cada rol."
        ),
        responses={
            200: MeSerializer,
            401: OpenApiResponse(description="No autenticado."),
        },
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "username": user.get_username(),
            "full_name": user.get_full_name(),  # type: ignore[union-attr]
            "roles": sorted(role_codes(user)),
        }
        return Response(MeSerializer(data).data)


class CallerView(APIView):
    """``GET /api/v1/me/``: the caller's username, name, unit and roles with their units.

    design.md's contract: ``{username, name, roles: [{role, unit}]}``, ``unit`` null for a
    grant across MINDEF; ``unit`` at the top is the person's own unit (the default requesting
    unit of what they start). Two queries: the grants, and the codes of their units.
    """

    @extend_schema(
        operation_id="me_retrieve",
        summary="Quién soy: usuario, nombre, unidad y roles con su unidad",
        description=(
            "Quién llama: usuario, nombre, su unidad de organización (la solicitante por "
            "defecto de lo que inicia) y cada rol que tiene hoy con la unidad donde lo ejerce "
            "(`unit` nulo: el rol vale en todo el MINDEF)."
        ),
        responses={
            200: CallerSerializer,
            401: OpenApiResponse(description="No autenticado."),
        },
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        grants = grants_for(user)
        unit_ids = {g.unit_id for g in grants if g.unit_id is not None}
        person = getattr(user, "person", None)
        if person is not None:
            unit_ids.add(person.unit_id)
        codes = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "code"))
        roles = sorted(
            ({"role": g.role, "unit": codes.get(g.unit_id) if g.unit_id else None} for g in grants),
            key=lambda r: (r["role"], r["unit"] or ""),
        )
        data = {
            "username": user.get_username(),
            "name": user.get_full_name() or (person.full_name if person else ""),
            "unit": codes.get(person.unit_id) if person is not None else None,
            "roles": roles,
        }
        return Response(CallerSerializer(data).data)
