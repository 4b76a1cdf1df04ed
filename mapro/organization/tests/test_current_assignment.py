"""One definition of "a current role assignment" (``models.roles.current_assignment_q``),
read the same way by the queryset (``RoleAssignment.objects.current``), the request's grants
(``permissions.grants_for``, plain SQL compiled from that queryset) and the admin's counts.

Every combination of person end, assignment start and assignment end around one day is made
through the actions; the day is a fixed date, never today's."""

import datetime
import itertools

import pytest

from mapro.organization.actions import do_assign_role
from mapro.organization.admin import RoleAdmin
from mapro.organization.models import Role, RoleAssignment
from mapro.organization.permissions import forget_grants, grants_for

DAY = datetime.date(2026, 3, 10)
ONE = datetime.timedelta(days=1)

PERSON_ENDS = (None, DAY - ONE, DAY, DAY + ONE)
STARTS = (None, DAY - ONE, DAY, DAY + ONE)
ENDS = (None, DAY - ONE, DAY, DAY + ONE)


def _in_force(person_end, start, end) -> bool:
    """The rule, written out once more by hand: started, not ended, the person in office."""
    return (
        (start is None or start <= DAY)
        and (end is None or end >= DAY)
        and (person_end is None or person_end >= DAY)
    )


@pytest.fixture
def matrix(org, make_person):
    """One person per possible combination (start after end, or after the person's end, cannot
    be recorded: the actions refuse them), each holding resp-bd with those dates."""
    people = {}
    for n, (person_end, start, end) in enumerate(itertools.product(PERSON_ENDS, STARTS, ENDS)):
        if (start and end and start > end) or (start and person_end and start > person_end):
            continue
        person = make_person(username=f"p{n}", valid_until=person_end)
        do_assign_role(person, "resp-bd", actor=None, valid_from=start, valid_until=end)
        people[person.user.username] = (person, _in_force(person_end, start, end))
    return people


def test_queryset_and_grants_follow_the_one_rule(matrix):
    expected = {name for name, (_, current) in matrix.items() if current}
    assert expected and expected != set(matrix)  # both kinds are present
    by_queryset = set(
        RoleAssignment.objects.current(DAY).values_list("person__user__username", flat=True)
    )
    by_grants = set()
    for name, (person, _) in matrix.items():
        forget_grants(person.user)
        if grants_for(person.user, on=DAY):
            by_grants.add(name)
    assert by_queryset == expected
    assert by_grants == expected


def test_a_person_past_their_term_holds_nothing_whatever_the_assignment_says(matrix):
    ended = [p for p, _ in matrix.values() if p.valid_until is not None and p.valid_until < DAY]
    assert ended
    current = RoleAssignment.objects.current(DAY)
    for person in ended:
        assert not current.filter(person=person).exists()
        assert grants_for(person.user, on=DAY) == frozenset()
        # The day before, when the person was still in office, an open assignment counted.
        open_ended = person.assignments.filter(valid_from=None, valid_until=None)
        if open_ended.exists():
            assert RoleAssignment.objects.current(DAY - ONE).filter(person=person).exists()


def test_the_admin_counts_holders_by_the_same_rule(matrix, rf, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12), tick=False)
    expected = sum(1 for _, current in matrix.values() if current)
    request = rf.get("/admin/organization/role/")
    row = RoleAdmin(Role, None).get_queryset(request).get(code="resp-bd")
    assert row.n_holders == expected
