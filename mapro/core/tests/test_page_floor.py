"""The floor of every signed-in page (issue #15): what is cached across requests is never stale.

The menu and the navbar's HTML are cached per process under the role codes held today and the
staff flag (``mapro.core.menu``); the grants themselves are read once per request. A change of
roles, staff or notices must show on the very next request.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mapro.core import menu
from mapro.core.testing import ensure_role, make_user
from mapro.organization.actions import do_assign_role, do_end_role_assignment

pytestmark = pytest.mark.django_db

CONSOLE = reverse("helpdesk:console_queue")
HOME = reverse("core:home")
INBOX = reverse("procedures:inbox")


def _nav(html: str) -> str:
    return html.split('id="menu-principal"', 1)[1].split('<div class="d-xl-flex', 1)[0]


def test_a_revoked_role_loses_the_menu_entry_and_the_page_on_the_next_request(client):
    user = make_user("operador-mesa")
    client.force_login(user)
    page = client.get(CONSOLE)
    assert page.status_code == 200
    assert f'href="{CONSOLE}"' in _nav(page.content.decode())
    assert f'href="{CONSOLE}"' in _nav(client.get(HOME).content.decode())  # cached menu

    do_end_role_assignment(user.person.assignments.get(), actor=None)

    home = client.get(HOME).content.decode()
    assert f'href="{CONSOLE}"' not in _nav(home)
    assert "Mesa de ayuda" not in _nav(home)
    assert client.get(CONSOLE).status_code == 403


def test_a_granted_role_shows_its_entry_on_the_next_request(client):
    user = make_user()
    client.force_login(user)
    assert f'href="{CONSOLE}"' not in _nav(client.get(HOME).content.decode())
    assert client.get(CONSOLE).status_code == 403
    do_assign_role(user.person, ensure_role("operador-mesa"), actor=None)
    assert f'href="{CONSOLE}"' in _nav(client.get(HOME).content.decode())
    assert client.get(CONSOLE).status_code == 200


def test_losing_staff_drops_the_administration_link_at_once(client):
    user = make_user(is_staff=True)
    client.force_login(user)
    admin = reverse("admin:index")
    assert f'href="{admin}"' in client.get(HOME).content.decode()
    get_user_model().objects.filter(pk=user.pk).update(is_staff=False)  # even past save()
    assert f'href="{admin}"' not in client.get(HOME).content.decode()


def test_two_users_with_other_roles_never_share_a_menu(client):
    desk, plain = make_user("operador-mesa"), make_user()
    client.force_login(desk)
    assert "Mesa de ayuda" in _nav(client.get(HOME).content.decode())
    client.force_login(plain)
    nav = _nav(client.get(HOME).content.decode())
    assert "Mesa de ayuda" not in nav and "Mis solicitudes" in nav


def test_the_navbar_marks_the_page_at_hand_and_only_it(client):
    client.force_login(make_user("operador-mesa"))
    console = _nav(client.get(CONSOLE).content.decode())
    assert f'<a class="nav-link active" href="{CONSOLE}" aria-current="page">' in console
    assert console.count('aria-current="page"') == 1
    inbox = _nav(client.get(INBOX).content.decode())
    assert f'<a class="nav-link active" href="{INBOX}" aria-current="page">' in inbox
    assert inbox.count('aria-current="page"') == 1
    home = _nav(client.get(HOME).content.decode())
    assert f'<a class="nav-link active" href="{HOME}" aria-current="page">Inicio</a>' in home
    assert home.count('aria-current="page"') == 1


def test_the_menu_is_computed_once_per_set_of_roles(monkeypatch):
    menu.clear_cache()
    calls = []
    real = menu.MenuEntry.allows_holder

    def counting(self, codes, staff):  # type: ignore[no-untyped-def]
        calls.append(codes)
        return real(self, codes, staff)

    monkeypatch.setattr(menu.MenuEntry, "allows_holder", counting)
    first, second = make_user("operador-mesa"), make_user("operador-mesa")
    assert menu.menu_for(first) == menu.menu_for(second)
    assert len(calls) == len(menu.ENTRIES)  # the second user's menu came from the cache


def test_reading_a_notice_drops_the_badge_on_the_next_request(client):
    from mapro.notifications.models import Notification
    from mapro.notifications.notices import do_mark_all_read, do_notify, do_open_notification

    user = make_user()
    client.force_login(user)
    assert 'id="avisos">Avisos</a>' in client.get(HOME).content.decode()  # no badge
    do_notify(users=[user], subject="Primero")
    do_notify(users=[user], subject="Segundo")
    do_notify(users=[make_user()], subject="De otro")
    assert 'aria-label="2 aviso(s) sin leer">2</span>' in client.get(HOME).content.decode()
    do_open_notification(Notification.objects.get(subject="Primero").pk, actor=user)
    assert 'aria-label="1 aviso(s) sin leer">1</span>' in client.get(HOME).content.decode()
    do_mark_all_read(actor=user)
    assert 'id="avisos">Avisos</a>' in client.get(HOME).content.decode()


def test_the_session_user_is_the_orm_user_field_by_field():
    from django.contrib.auth import get_user_model

    from mapro.accounts.backends import ThrottledModelBackend

    user = make_user(is_staff=True)
    user.last_login = user.date_joined
    user.save()
    loaded = ThrottledModelBackend().get_user(user.pk)
    expected = get_user_model().objects.get(pk=user.pk)
    for field in expected._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert ThrottledModelBackend().get_user(-1) is None
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert ThrottledModelBackend().get_user(user.pk) is None


def test_a_stored_session_is_read_back_until_it_expires():
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from mapro.accounts.sessions import DatabaseSessionStore

    store = DatabaseSessionStore()
    store["dato"] = "valor"
    store.save()
    key = store.session_key
    assert DatabaseSessionStore(key).load() == {"dato": "valor"}
    assert DatabaseSessionStore("x" * 32).load() == {}
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = DatabaseSessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="sin REDIS_URL")
def test_with_redis_a_session_is_read_from_the_cache_and_logout_clears_both(
    client, django_assert_num_queries
):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    from mapro.accounts.sessions import CachedSessionStore

    assert settings.SESSION_ENGINE == "mapro.accounts.cached_sessions"
    store = CachedSessionStore()
    store["dato"] = "valor"
    store.save()
    with django_assert_num_queries(0):
        assert CachedSessionStore(store.session_key).load() == {"dato": "valor"}
    user = make_user()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert CachedSessionStore(key).load() == {}
