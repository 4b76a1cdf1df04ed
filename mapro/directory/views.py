"""The operator's two decisions on a directory operation: retry it, or record it done by hand."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mapro.core.exceptions import InvalidInput
from mapro.organization.permissions import check_role

from .actions import do_complete_manually, do_retry_operation
from .choices import OPERATE_ROLES
from .models import DirectoryOperation


def _operation(request: HttpRequest, pk: int) -> DirectoryOperation:
    """The operation, for those who may decide on one: the role first (403), then the id
    (404), so whether an id exists is no answer to anyone else."""
    check_role(request.user, OPERATE_ROLES)
    return get_object_or_404(DirectoryOperation, pk=pk)


def _back(op: DirectoryOperation) -> HttpResponse:
    if op.instance_id:
        return redirect("procedures:instance_detail", op.instance_id)
    if op.account_id:
        return redirect("iam:account_detail", op.account_id)
    return redirect("core:home")


@login_required
@require_POST
def operation_retry(request: HttpRequest, pk: int) -> HttpResponse:
    op = _operation(request, pk)
    do_retry_operation(op, actor=request.user)
    messages.success(request, f"Operación reenviada al directorio: {op.summary}.")
    return _back(op)


@login_required
@require_POST
def operation_manual(request: HttpRequest, pk: int) -> HttpResponse:
    op = _operation(request, pk)
    try:
        do_complete_manually(op, request.POST.get("note", ""), actor=request.user)
    except InvalidInput as exc:
        messages.error(request, " ".join(" ".join(map(str, v)) for v in exc.errors.values()))
        return _back(op)
    messages.success(request, f"Operación registrada como completada a mano: {op.summary}.")
    return _back(op)
