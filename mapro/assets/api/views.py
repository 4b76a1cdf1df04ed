"""Assets API v1: parse input, call a selector or an action, render. Nothing else.

Lists take the same filters as the HTML lists (``filtersets``) and follow the list
convention of docs/api.md (a JSON array, ``Link: rel="next"``). An entry the caller may not read is
404 (403 when their role reads none of the register); actions answer the updated entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.audit.selectors import history_of
from mapro.core.api import ListView, error_response, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Person, Unit
from mapro.organization.permissions import check_role
from mapro.procedures.models import Instance

from .. import access, actions, selectors
from ..filtersets import (
    BlockEntryFilterSet,
    CertDeviceFilterSet,
    PhoneFilterSet,
    RestoreRequestFilterSet,
)
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")
_409 = error_response(409, "Conflicto con el estado actual.")
ERRORS = {400: _400, 403: _403, 404: _404, 409: _409}


def _person(body: dict[str, Any], field: str = "holder") -> Person | None:
    """The person named by ``<field>`` (id) or ``<field>_dni``; None when neither is given."""
    pk, dni = body.get(field), (body.get(f"{field}_dni") or "").strip()
    if pk in (None, "") and not dni:
        return None
    people = Person.objects.select_related("unit")
    person = (
        people.filter(pk=pk).first() if pk not in (None, "") else people.filter(dni=dni).first()
    )
    if person is None:
        raise InvalidInput(errors={field: ["No existe esa persona."]})
    return person


def _unit(code: str) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code.strip()).first()
    if unit is None:
        raise InvalidInput(errors={"unit": [f"No existe la unidad «{code}»."]})
    return unit


def _detail(serializer_class: type, obj: Any) -> dict[str, Any]:
    obj.history_events = history_of(obj)
    return serializer_class(obj).data  # type: ignore[no-any-return]


# --- phones -----------------------------------------------------------------------------------

TAG_PHONES = ["inventario de equipos telefónicos"]


class PhoneListView(
    ListView,
    serializer=s.PhoneSerializer,
    rows=selectors.phones_for_user,
    filterset=PhoneFilterSet,
    operation_id="phones_list",
    summary="Equipos telefónicos (IP y móviles) visibles para el usuario",
    tags=TAG_PHONES,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="phones_create",
        summary="Registrar un equipo telefónico en el inventario",
        request=s.PhoneCreateSerializer,
        responses={201: s.PhoneDetailSerializer, **ERRORS},
        tags=TAG_PHONES,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.PHONE_MANAGERS)  # the role before the body
        body = validated_body(s.PhoneCreateSerializer, request)
        phone = actions.do_register_phone(actor=request.user, **body)
        return Response(_detail(s.PhoneDetailSerializer, phone), status=status.HTTP_201_CREATED)


class PhoneDetailView(APIView):
    @extend_schema(
        operation_id="phones_retrieve",
        summary="Un equipo telefónico, sus asignaciones y su historial",
        responses={200: s.PhoneDetailSerializer, **ERRORS},
        tags=TAG_PHONES,
    )
    def get(self, request: Request, pk: int) -> Response:
        phone = selectors.get_phone_for_user(request.user, pk)
        return Response(_detail(s.PhoneDetailSerializer, phone))


def _phone_assign(request: Request, phone: Any) -> None:
    body = validated_body(s.PhoneAssignSerializer, request)
    actions.do_assign_phone(
        phone,
        holder=_person(body),
        holder_name=body.get("holder_name", ""),
        unit=_unit(body.get("unit", "")),
        assigned_on=body.get("assigned_on"),
        acta_entrega=body.get("acta_entrega", ""),
        ticket=body.get("ticket", ""),
        actor=request.user,
    )


def _phone_return(request: Request, phone: Any) -> None:
    body = validated_body(s.PhoneReturnSerializer, request)
    actions.do_return_phone(
        phone,
        holder=_person(body),
        holder_name=body.get("holder_name", ""),
        returned_on=body.get("returned_on"),
        reason=body.get("reason", ""),
        notes=body.get("notes", ""),
        actor=request.user,
    )


def _phone_acta(request: Request, phone: Any) -> None:
    body = validated_body(s.PhoneActaSerializer, request)
    signatures: dict[str, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for key, value in (body.get("signatures") or {}).items():
        sig = s.SignatureSerializer(data=value)
        if not sig.is_valid():
            for field, messages in sig.errors.items():
                errors[f"signatures.{key}.{field}"] = [str(m) for m in messages]
            continue
        signatures[key] = dict(sig.validated_data)
    if errors:
        raise InvalidInput(errors=errors)
    actions.do_record_acta_asignacion(
        phone,
        acta_asignacion=body.get("acta_asignacion", ""),
        signatures=signatures,
        delivered_on=body.get("delivered_on"),
        received_by=body.get("received_by", ""),
        actor=request.user,
    )


def _phone_retire(request: Request, phone: Any) -> None:
    body = validated_body(s.DeactivateSerializer, request)
    actions.do_retire_phone(phone, reason=body.get("reason", ""), actor=request.user)


PHONE_ACTIONS: dict[str, tuple[Callable[[Request, Any], None], type, str]] = {
    "assign": (_phone_assign, s.PhoneAssignSerializer, "Asignar el equipo (acta de entrega)"),
    "return": (_phone_return, s.PhoneReturnSerializer, "Registrar la devolución del equipo"),
    "acta": (
        _phone_acta,
        s.PhoneActaSerializer,
        "Registrar el acta de asignación de bienes y sus cuatro firmas",
    ),
    "retire": (_phone_retire, s.DeactivateSerializer, "Dar de baja el equipo (con el motivo)"),
}


def _device_action_view(
    name: str,
    actions: dict[str, tuple[Callable[[Request, Any], None], type, str]],
    *,
    get_for_user: Callable[[Any, int], Any],
    detail_serializer: type,
    operation_prefix: str,
    class_prefix: str,
    tags: list[str],
) -> Callable[..., Any]:
    """One POST endpoint per device action: load the device in the user's scope, run the
    action's handler, answer the device's detail as it is now."""
    handler, body, summary = actions[name]

    class DeviceActionView(APIView):
        @extend_schema(
            operation_id=f"{operation_prefix}_{name}",
            summary=summary,
            request=body,
            responses={200: detail_serializer, **ERRORS},
            tags=tags,
        )
        def post(self, request: Request, pk: int) -> Response:
            handler(request, get_for_user(request.user, pk))
            return Response(_detail(detail_serializer, get_for_user(request.user, pk)))

    DeviceActionView.__name__ = DeviceActionView.__qualname__ = f"{class_prefix}{name.title()}View"
    return DeviceActionView.as_view()


def phone_action_view(name: str) -> Callable[..., Any]:
    return _device_action_view(
        name,
        PHONE_ACTIONS,
        get_for_user=selectors.get_phone_for_user,
        detail_serializer=s.PhoneDetailSerializer,
        operation_prefix="phones",
        class_prefix="Phone",
        tags=TAG_PHONES,
    )


# --- certificate devices ----------------------------------------------------------------------

TAG_CERT = ["inventario de dispositivos del certificado digital"]


class CertDeviceListView(
    ListView,
    serializer=s.CertDeviceSerializer,
    rows=selectors.cert_devices_for_user,
    filterset=CertDeviceFilterSet,
    operation_id="certificate_devices_list",
    summary="Dispositivos para el certificado digital visibles para el usuario",
    tags=TAG_CERT,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="certificate_devices_create",
        summary="Registrar una tarjeta criptográfica o un lector de tarjetas",
        request=s.CertDeviceCreateSerializer,
        responses={201: s.CertDeviceDetailSerializer, **ERRORS},
        tags=TAG_CERT,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.CERT_MANAGERS)  # the role before the body
        body = validated_body(s.CertDeviceCreateSerializer, request)
        device = actions.do_register_cert_device(actor=request.user, **body)
        return Response(
            _detail(s.CertDeviceDetailSerializer, device), status=status.HTTP_201_CREATED
        )


class CertDeviceDetailView(APIView):
    @extend_schema(
        operation_id="certificate_devices_retrieve",
        summary="Un dispositivo, sus titulares (asignaciones y devoluciones) y su historial",
        responses={200: s.CertDeviceDetailSerializer, **ERRORS},
        tags=TAG_CERT,
    )
    def get(self, request: Request, pk: int) -> Response:
        device = selectors.get_cert_device_for_user(request.user, pk)
        return Response(_detail(s.CertDeviceDetailSerializer, device))


def _cert_assign(request: Request, device: Any) -> None:
    body = validated_body(s.CertAssignSerializer, request)
    actions.do_assign_cert_device(
        device,
        holder=_person(body),
        declaracion_jurada=body.get("declaracion_jurada", ""),
        reniec_registered_on=body.get("reniec_registered_on"),
        reniec_approved_on=body.get("reniec_approved_on"),
        reniec_request=body.get("reniec_request", ""),
        acta_entrega=body.get("acta_entrega", ""),
        assigned_on=body.get("assigned_on"),
        ticket=body.get("ticket", ""),
        actor=request.user,
    )


def _cert_return(request: Request, device: Any) -> None:
    body = validated_body(s.CertReturnSerializer, request)
    actions.do_return_cert_device(
        device,
        holder=_person(body),
        leaving_reason=body.get("leaving_reason", ""),
        returned_on=body.get("returned_on"),
        notes=body.get("notes", ""),
        actor=request.user,
    )


def _cert_conformity(request: Request, device: Any) -> None:
    body = validated_body(s.ConformitySerializer, request)
    actions.do_give_return_conformity(
        device, conformity_on=body.get("conformity_on"), actor=request.user
    )


def _cert_retire(request: Request, device: Any) -> None:
    body = validated_body(s.DeactivateSerializer, request)
    actions.do_retire_cert_device(device, reason=body.get("reason", ""), actor=request.user)


CERT_ACTIONS: dict[str, tuple[Callable[[Request, Any], None], type, str]] = {
    "assign": (_cert_assign, s.CertAssignSerializer, "Asignar el dispositivo a su titular"),
    "return": (
        _cert_return,
        s.CertReturnSerializer,
        "Registrar la devolución del dispositivo (desvinculación del titular)",
    ),
    "conformity": (
        _cert_conformity,
        s.ConformitySerializer,
        "Conformidad del Jefe(a) de la OGTIE a la devolución",
    ),
    "retire": (
        _cert_retire,
        s.DeactivateSerializer,
        "Dar de baja el dispositivo (con el motivo)",
    ),
}


def cert_action_view(name: str) -> Callable[..., Any]:
    return _device_action_view(
        name,
        CERT_ACTIONS,
        get_for_user=selectors.get_cert_device_for_user,
        detail_serializer=s.CertDeviceDetailSerializer,
        operation_prefix="certificate_devices",
        class_prefix="CertDevice",
        tags=TAG_CERT,
    )


# --- restore requests -------------------------------------------------------------------------

TAG_RESTORE = ["registro de copias de restauración"]


class RestoreRequestListView(
    ListView,
    serializer=s.RestoreRequestSerializer,
    rows=selectors.restore_requests_for_user,
    filterset=RestoreRequestFilterSet,
    operation_id="restore_requests_list",
    summary="Requerimientos de copia de restauración y su resultado",
    tags=TAG_RESTORE,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="restore_requests_create",
        summary="Registrar un requerimiento de copia de restauración",
        request=s.RestoreRequestCreateSerializer,
        responses={201: s.RestoreRequestDetailSerializer, **ERRORS},
        tags=TAG_RESTORE,
    )
    def post(self, request: Request) -> Response:
        body = validated_body(s.RestoreRequestCreateSerializer, request)
        restore = actions.do_record_restore_request(
            information_kind=body.get("information_kind", "sistema"),
            system=body.get("system", ""),
            period=body.get("period", ""),
            description=body.get("description", ""),
            requester=_person(body, "requester"),
            requester_name=body.get("requester_name", ""),
            unit=_unit(body.get("unit", "")),
            ticket=body.get("ticket", ""),
            requested_on=body.get("requested_on"),
            actor=request.user,
        )
        return Response(
            _detail(s.RestoreRequestDetailSerializer, restore), status=status.HTTP_201_CREATED
        )


class RestoreRequestDetailView(APIView):
    @extend_schema(
        operation_id="restore_requests_retrieve",
        summary="Un requerimiento de copia de restauración y su historial",
        responses={200: s.RestoreRequestDetailSerializer, **ERRORS},
        tags=TAG_RESTORE,
    )
    def get(self, request: Request, pk: int) -> Response:
        restore = selectors.get_restore_request_for_user(request.user, pk)
        return Response(_detail(s.RestoreRequestDetailSerializer, restore))


class RestoreOutcomeView(APIView):
    @extend_schema(
        operation_id="restore_requests_outcome",
        summary="Registrar el resultado (restaurada, fallida o devuelta)",
        request=s.RestoreOutcomeSerializer,
        responses={200: s.RestoreRequestDetailSerializer, **ERRORS},
        tags=TAG_RESTORE,
    )
    def post(self, request: Request, pk: int) -> Response:
        restore = selectors.get_restore_request_for_user(request.user, pk)
        body = validated_body(s.RestoreOutcomeSerializer, request)
        restore = actions.do_record_restore_outcome(
            restore,
            outcome=body["outcome"],
            result=body.get("result", ""),
            action=body.get("action", ""),
            backup_used=body.get("backup_used", ""),
            closed_on=body.get("closed_on"),
            actor=request.user,
        )
        return Response(_detail(s.RestoreRequestDetailSerializer, restore))


# --- block list -------------------------------------------------------------------------------

TAG_BLOCK = ["lista de bloqueos de spam y phishing"]


class BlockEntryListView(
    ListView,
    serializer=s.BlockEntrySerializer,
    rows=selectors.block_entries_for_user,
    filterset=BlockEntryFilterSet,
    operation_id="block_list_list",
    summary="Lista de bloqueos (cuentas, dominios, URL e IP públicas)",
    tags=TAG_BLOCK,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="block_list_create",
        summary="Bloquear una cuenta, dominio, URL o IP pública por un caso",
        request=s.BlockCreateSerializer,
        responses={201: s.BlockEntryDetailSerializer, **ERRORS},
        tags=TAG_BLOCK,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.BLOCK_MANAGERS)  # the role before the body
        body = validated_body(s.BlockCreateSerializer, request)
        instance = None
        if body.get("instance") is not None:
            instance = Instance.objects.filter(pk=body["instance"]).first()
            if instance is None:
                raise InvalidInput(errors={"instance": ["No existe ese expediente."]})
        entry = actions.do_add_block(
            kind=body["kind"],
            value=body["value"],
            case_kind=body.get("case_kind", ""),
            instance=instance,
            ticket=body.get("ticket", ""),
            notes=body.get("notes", ""),
            actor=request.user,
        )
        return Response(
            _detail(s.BlockEntryDetailSerializer, entry), status=status.HTTP_201_CREATED
        )


class BlockEntryDetailView(APIView):
    @extend_schema(
        operation_id="block_list_retrieve",
        summary="Una entrada de la lista de bloqueos y su historial",
        responses={200: s.BlockEntryDetailSerializer, **ERRORS},
        tags=TAG_BLOCK,
    )
    def get(self, request: Request, pk: int) -> Response:
        entry = selectors.get_block_entry_for_user(request.user, pk)
        return Response(_detail(s.BlockEntryDetailSerializer, entry))


class BlockDeactivateView(APIView):
    @extend_schema(
        operation_id="block_list_deactivate",
        summary="Desactivar un bloqueo, con el motivo",
        request=s.DeactivateSerializer,
        responses={200: s.BlockEntryDetailSerializer, **ERRORS},
        tags=TAG_BLOCK,
    )
    def post(self, request: Request, pk: int) -> Response:
        entry = selectors.get_block_entry_for_user(request.user, pk)
        body = validated_body(s.DeactivateSerializer, request)
        entry = actions.do_deactivate_block(
            entry, reason=body.get("reason", ""), actor=request.user
        )
        return Response(_detail(s.BlockEntryDetailSerializer, entry))
