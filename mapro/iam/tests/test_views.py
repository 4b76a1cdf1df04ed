"""The register pages: filters, "por eliminar", exports that read back, detail with history,
roles and unit scope."""

import datetime

import pytest
from django.urls import reverse

from mapro.core.testing import ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.iam.actions import do_modify_account, do_remove_account
from mapro.iam.exports import ACCOUNT_HEADERS, MOVEMENT_HEADERS
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=10)


@pytest.fixture
def data():
    ogtie = ensure_unit("OGTIE")
    dga = ensure_unit("DGA", "Dirección General de Administración")
    ana = make_person("Ana", "Rojas Vela", unit=ogtie, dni="40000001")
    luis = make_person("Luis", "Soto Paz", unit=dga, dni="40000002", regime="orden_servicio")
    red = make_account(ana)
    vpn = make_account(ana, kind="vpn", account_name="vpn.arojas")
    due = make_account(
        luis,
        regime="orden_servicio",
        granted_on=PAST - datetime.timedelta(days=30),
        service_start=PAST - datetime.timedelta(days=30),
        service_end=PAST,
    )
    gone = make_account(
        luis,
        kind="vpn",
        account_name="vpn.lsoto",
        service_start=PAST,
        service_end=TODAY + datetime.timedelta(days=30),
    )
    do_remove_account(gone, actor=None, reason="Fin del servicio")
    return {"ana": ana, "luis": luis, "red": red, "vpn": vpn, "due": due, "gone": gone, "dga": dga}


def _cell(value):
    """A value as openpyxl reads it back (dates as midnight datetimes, "" as None)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return None if value == "" else value


def _expected(accounts):
    from mapro.iam.exports import account_rows
    from mapro.iam.models import Account

    fresh = [Account.objects.get(pk=a.pk) for a in accounts]
    return [[_cell(v) for v in row] for row in account_rows(fresh)]


def _names(response):
    return [a.account_name for a in response.context["page"].object_list]


def test_list_filters_and_due_count(client, data):
    client.force_login(make_user("jefe-ogtie"))
    url = reverse("iam:account_list")
    response = client.get(url)
    assert response.status_code == 200
    assert set(_names(response)) == {"arojas", "vpn.arojas", "lsoto", "vpn.lsoto"}
    assert response.context["due_count"] == 1
    assert "1 por eliminar" in response.content.decode()
    assert _names(client.get(url, {"status": "por_eliminar"})) == ["lsoto"]
    assert set(_names(client.get(url, {"status": "eliminada"}))) == {"vpn.lsoto"}
    assert set(_names(client.get(url, {"dni": "40000001"}))) == {"arojas", "vpn.arojas"}
    assert set(_names(client.get(url, {"unit": "DGA"}))) == {"lsoto", "vpn.lsoto"}
    assert set(_names(client.get(url, {"kind": "vpn"}))) == {"vpn.arojas", "vpn.lsoto"}
    assert set(_names(client.get(url, {"q": "rojas"}))) == {"arojas", "vpn.arojas"}
    assert _names(client.get(url, {"hasta": PAST.isoformat()})) == ["lsoto"]


def test_bad_filters_name_the_field_and_show_nothing(client, data):
    client.force_login(make_user("jefe-ogtie"))
    response = client.get(reverse("iam:account_list"), {"dni": "12", "unit": "NADA"})
    assert response.status_code == 200
    errors = response.context["filterset"].errors
    assert "dni" in errors and "unit" in errors
    assert _names(response) == []


def test_list_query_count_is_constant(client, data, django_assert_max_num_queries):
    client.force_login(make_user("jefe-ogtie"))
    for n in range(5):
        make_account(make_person("Pedro", f"Paz{n} Luna"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("iam:account_list")).status_code == 200


def test_export_reads_back_with_the_listed_rows(client, data):
    client.force_login(make_user("coord-infraestructura"))
    response = client.get(reverse("iam:account_export"), {"unit": "DGA"})
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == ACCOUNT_HEADERS
    assert rows == _expected([data["gone"], data["due"]])  # newest first
    by_name = {row[1]: row for row in rows}
    assert by_name["lsoto"][5] == "Por eliminar"
    assert by_name["lsoto"][13] == _cell(PAST)
    assert by_name["vpn.lsoto"][5] == "Eliminada"
    assert by_name["vpn.lsoto"][17] == "Fin del servicio"


def test_vpn_inventory_lists_only_vpn_users(client, data):
    client.force_login(make_user("tecnico-especialista"))
    response = client.get(reverse("iam:vpn_list"))
    assert set(_names(response)) == {"vpn.arojas", "vpn.lsoto"}
    assert "kind" not in response.context["filterset"].fields
    _, rows = read_xlsx(client.get(reverse("iam:vpn_export"), {"status": "activa"}).content)
    assert rows == _expected([data["vpn"]])


def test_vpn_movements_by_period_export(client, data):
    client.force_login(make_user("operador-mesa"))
    url = reverse("iam:vpn_movements_export", args=["creados"])
    headers, rows = read_xlsx(client.get(url, {"desde": TODAY.isoformat()}).content)
    assert headers == MOVEMENT_HEADERS
    assert sorted(r[1] for r in rows) == ["vpn.arojas", "vpn.lsoto"]
    _, removed = read_xlsx(
        client.get(reverse("iam:vpn_movements_export", args=["eliminados"])).content
    )
    assert removed == [
        [_cell(TODAY), "vpn.lsoto", "Luis Soto Paz", "40000002", "DGA", "Fin del servicio"]
    ]
    future = (TODAY + datetime.timedelta(days=1)).isoformat()
    assert read_xlsx(client.get(url, {"desde": future}).content)[1] == []
    page = client.get(reverse("iam:vpn_movements", args=["eliminados"]))
    assert page.status_code == 200 and "vpn.lsoto" in page.content.decode()
    assert client.get(reverse("iam:vpn_movements", args=["otros"])).status_code == 404
    bad = client.get(reverse("iam:vpn_movements", args=["creados"]), {"desde": "ayer"})
    assert bad.status_code == 200 and bad.context["rows"] == []


def test_detail_shows_history(client, data):
    manager = make_user("profesional-ogtie")
    do_modify_account(data["red"], actor=manager, changes={"notes": "Cambio de oficina"})
    client.force_login(make_user("esp-seguridad-info"))
    response = client.get(reverse("iam:account_detail", args=[data["red"].pk]))
    assert response.status_code == 200
    actions = [e.action for e in response.context["history"]]
    assert actions == ["account.grant", "account.modify"]
    assert "Historial de cambios" in response.content.decode()
    assert client.get(reverse("iam:account_detail", args=[999999])).status_code == 404


def test_roles_scope_and_anonymous(client, data):
    url = reverse("iam:account_list")
    assert client.get(url).status_code == 302
    client.force_login(make_user("personal"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("iam:account_export")).status_code == 403
    client.force_login(make_user("director-uo", unit=data["dga"]))
    assert set(_names(client.get(url))) == {"lsoto", "vpn.lsoto"}
    assert client.get(reverse("iam:account_detail", args=[data["red"].pk])).status_code == 404
    assert client.get(reverse("iam:account_detail", args=[data["due"].pk])).status_code == 200
    _, rows = read_xlsx(client.get(reverse("iam:account_export")).content)
    assert {r[1] for r in rows} == {"lsoto", "vpn.lsoto"}
