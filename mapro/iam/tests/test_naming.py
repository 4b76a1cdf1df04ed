"""The account naming rule: pattern, ASCII folding, collisions."""

import pytest

from mapro.iam.actions import do_remove_account
from mapro.iam.naming import ascii_slug, base_name, propose_account_name
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ñuñez", "nunez"),
        ("D'Ávila", "davila"),
        ("José-María", "josemaria"),
        ("ÜRSULA  Peña", "ursulapena"),
        ("", ""),
    ],
)
def test_ascii_slug(text, slug):
    assert ascii_slug(text) == slug


def test_default_pattern_first_initial_and_first_surname():
    assert base_name("María Elena", "Quispe Huamán") == "mquispe"
    assert base_name("Ñahui", "Peña de la Cruz") == "npena"


def test_configurable_pattern(settings):
    settings.IAM_ACCOUNT_NAME_PATTERN = "{first_name}.{first_surname}{second_surname_initial}"
    assert base_name("Ángel Iván", "Núñez Castañeda") == "angelnunezc"
    settings.IAM_ACCOUNT_NAME_PATTERN = "{first_initial}{nope}"
    with pytest.raises(ValueError, match="nope"):
        base_name("A", "B")


def test_collisions_get_a_number_and_never_reuse_another_persons_removed_name():
    first = make_account(make_person("Juan", "Pérez Díaz"))
    assert first.account_name == "jperez"
    second = make_account(make_person("Julia", "Perez Soto"))
    assert second.account_name == "jperez2"
    do_remove_account(first, actor=None, reason="Cese")
    third = make_person("Jorge", "Pérez Ruiz")
    assert propose_account_name(third, "red") == "jperez3"


def test_a_persons_own_removed_name_is_free_again_and_kinds_are_separate():
    person = make_person("Ana", "Rojas")
    old = make_account(person)
    do_remove_account(old, actor=None, reason="Fin de contrato")
    assert propose_account_name(person, "red") == "arojas"
    assert propose_account_name(make_person("Abel", "Rojas"), "vpn") == "arojas"


def test_mail_accounts_carry_the_domain(settings):
    settings.IAM_MAIL_DOMAIN = "mindef.test"
    person = make_person("Rosa", "Quispe")
    assert make_account(person, kind="correo").account_name == "rquispe@mindef.test"
    assert propose_account_name(make_person("Raúl", "Quispe"), "correo") == "rquispe2@mindef.test"


def test_empty_names_are_refused():
    from mapro.core.exceptions import InvalidInput

    person = make_person("Ana", "Rojas")
    person.first_name, person.last_name = "¿?", "!!"
    with pytest.raises(InvalidInput) as err:
        propose_account_name(person, "red")
    assert "account_name" in err.value.errors
