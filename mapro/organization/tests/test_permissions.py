"""The permission layer: grants, unit scope, validity dates, expired people, inactive users."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mapro.core.exceptions import Forbidden
from mapro.organization.actions import do_assign_role, do_end_role_assignment, do_update_person
from mapro.organization.models import Person, Unit
from mapro.organization.permissions import (
    check_role,
    forget_grants,
    grants_for,
    has_role,
    role_codes,
    unit_scope_q,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def test_global_grant_covers_every_unit(org, make_person):
    person = make_person(username="mesa", roles=["operador-mesa"])
    user = person.user
    assert role_codes(user) == {"operador-mesa"}
    assert has_role(user, "operador-mesa")
    assert has_role(user, ["resp-bd", "operador-mesa"], org["DIGEP"])
    assert not has_role(user, "resp-bd")
    check_role(user, "operador-mesa", org["OGAJ"])
    with pytest.raises(Forbidden):
        check_role(user, "jefe-ogtie")
    assert unit_scope_q(user, "operador-mesa") is None


def test_unit_scope_covers_descendants_not_siblings_or_parents(org, make_person):
    person = make_person("DGA", username="director", roles=[("director-uo", "DGA")])
    user = person.user
    assert has_role(user, "director-uo", org["DGA"])
    assert has_role(user, "director-uo", org["DIRAB"])  # child
    assert has_role(user, "director-uo", org["DIGEP"])  # child
    assert not has_role(user, "director-uo", org["DGRRHH"])  # sibling of DGA
    assert not has_role(user, "director-uo", org["VRD"])  # parent
    assert not has_role(user, "director-uo", org["OGTIE"])
    assert has_role(user, "director-uo")  # holds it somewhere
    with pytest.raises(Forbidden):
        check_role(user, "director-uo", org["DIPEC"])


def test_unit_scope_q_filters_people_by_subtree(org, make_person):
    director = make_person("DGA", username="director", roles=[("director-uo", "DGA")]).user
    inside = make_person("DIRAB")
    also_inside = make_person("DGA")
    outside = make_person("DGRRHH")
    q = unit_scope_q(director, "director-uo")
    visible = set(Person.objects.filter(q))
    assert inside in visible and also_inside in visible
    assert outside not in visible
    # A role the user does not hold matches nothing.
    assert not Person.objects.filter(unit_scope_q(director, "jefe-ogtie")).exists()


def test_scope_on_a_leaf_covers_only_that_leaf(org, make_person):
    unit = org["OGTIE-INNOVACION"]
    person = make_person(username="scoped", roles=[("personal", "OGTIE-INNOVACION")])
    for other in Unit.objects.exclude(pk=unit.pk):
        assert not has_role(person.user, "personal", other), other.code


def test_assignment_dates_bound_the_grant(org, make_person):
    person = make_person(username="ana")
    user = person.user
    do_assign_role(person, "resp-bd", actor=None, valid_from=TODAY + DAY)
    do_assign_role(person, "resp-soporte", actor=None, valid_until=TODAY - DAY)
    do_assign_role(person, "resp-calidad", actor=None, valid_from=TODAY, valid_until=TODAY)
    forget_grants(user)
    assert role_codes(user) == {"resp-calidad"}
    assert "resp-bd" in {g.role for g in grants_for(user, on=TODAY + DAY)}
    assert "resp-soporte" in {g.role for g in grants_for(user, on=TODAY - DAY)}


def test_ending_an_assignment_removes_the_grant_at_once(org, make_person):
    person = make_person(username="luis", roles=["coord-estadistica"])
    user = person.user
    assert has_role(user, "coord-estadistica")
    do_end_role_assignment(person.assignments.get(), actor=None)
    # Grants are cached per user object (per request): the next request sees the change.
    next_request_user = get_user_model().objects.get(pk=user.pk)
    assert not has_role(next_request_user, "coord-estadistica")


def test_expired_person_has_no_grants(org, make_person):
    person = make_person(username="cesado", roles=["resp-bd"])
    do_update_person(person, actor=None, valid_until=TODAY - DAY)
    person.user.refresh_from_db()
    forget_grants(person.user)
    assert grants_for(person.user) == frozenset()
    assert "resp-bd" in {g.role for g in grants_for(person.user, on=TODAY - DAY)}


def test_inactive_and_anonymous_users_have_no_grants(org, make_person):
    person = make_person(username="inactivo", roles=["jefe-ogtie"])
    user = person.user
    user.is_active = False
    user.save()
    forget_grants(user)
    assert not has_role(user, "jefe-ogtie")
    assert not has_role(AnonymousUser(), "jefe-ogtie")
    assert not has_role(None, "jefe-ogtie")
    assert unit_scope_q(AnonymousUser(), "jefe-ogtie") is not None  # matches nothing


def test_grants_are_read_once_per_user_object(org, make_person, django_assert_num_queries):
    user = make_person(username="cache", roles=["resp-bd"]).user
    forget_grants(user)
    with django_assert_num_queries(1):
        for _ in range(5):
            has_role(user, "resp-bd")
            role_codes(user)


def test_testing_helper_gives_scoped_and_global_roles(org):
    from mapro.organization.testing import user_with_roles

    director = user_with_roles("dir-dga", ("director-uo", "DGA"), unit="DGA")
    mesa = user_with_roles("mesa1", "operador-mesa", "resp-soporte")
    assert has_role(director, "director-uo", org["DIRAB"])
    assert not has_role(director, "director-uo", org["OGTIE"])
    assert role_codes(mesa) == {"operador-mesa", "resp-soporte"}
    assert mesa.person.unit.code == "OGTIE"
