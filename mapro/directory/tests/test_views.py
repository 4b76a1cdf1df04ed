"""The operator's decisions answer 403 to anyone without the role, whether the id exists or
not, and 404 for an unknown id only to an operator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mapro.core.testing import make_user
from mapro.directory import choices, testing
from mapro.directory.models import DirectoryOperation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["directory:operation_retry", "directory:operation_manual"])
def test_without_the_role_an_unknown_and_a_real_operation_answer_alike(client, name):
    operator = make_user(sorted(choices.OPERATE_ROLES)[0])
    real = testing.failed_operation_kwargs(operator)["pk"]
    unknown = real + 1000
    client.force_login(make_user("personal"))
    answers = [client.post(reverse(name, kwargs={"pk": pk})).status_code for pk in (real, unknown)]
    assert answers == [403, 403]
    client.force_login(operator)
    assert client.post(reverse(name, kwargs={"pk": unknown})).status_code == 404
    assert DirectoryOperation.objects.get(pk=real).status == choices.OperationStatus.FAILED
