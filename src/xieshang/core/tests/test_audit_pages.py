"""The audit trail's pages: who may read which rows, the filters, the group page and the export."""

import csv
import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieshang.core.models import AuditEvent
from xieshang.org import actions
from xieshang.testing import PERSONA_NAMES

AUDIT_READERS = {"auditor", "office_admin", "sysadmin", "other_staff"}


@pytest.fixture
def trail(personas):
    """Rows in the district, in the other district, and deployment-wide (no committee)."""
    p = personas
    actions.do_update_sector(p.sector, {"name": "经济界别"}, actor=p.office_admin)
    p.district_sector = actions.do_create_sector(p.district, {"name": "科技界"}, actor=p.office_admin)
    p.other_sector = actions.do_create_sector(p.other, {"name": "西城教育界"}, actor=p.other_staff)
    p.account = actions.do_create_account("newclerk", full_name="新文员", actor=p.sysadmin)
    return p


def _rows(response):
    return list(response.context["rows"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_the_audit_list_is_open_only_to_auditors_office_admins_and_sysadmin(client, login, trail, name):
    login(client, getattr(trail, name))
    response = client.get(reverse("core:audit"))
    assert response.status_code == (200 if name in AUDIT_READERS else 403)
    if response.status_code == 403:
        assert "科技界" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["auditor", "office_admin"])
def test_district_readers_see_their_rows_and_no_others(client, login, trail, name):
    login(client, getattr(trail, name))
    rows = _rows(client.get(reverse("core:audit")))
    assert rows
    assert {r.committee_id for r in rows} == {trail.district.pk}
    body = client.get(reverse("core:audit")).content.decode()
    assert "科技界" in body and "西城教育界" not in body and "newclerk" not in body


@pytest.mark.django_db
def test_other_committees_staff_sees_none_of_the_districts_rows(client, login, trail):
    login(client, trail.other_staff)
    response = client.get(reverse("core:audit"))
    rows = _rows(response)
    assert [r.target_repr for r in rows] == ["西城教育界"]
    body = response.content.decode()
    assert "科技界" not in body and "经济界别" not in body
    # Asking for the district by id changes nothing: the choice is not offered, so the form refuses it.
    response = client.get(reverse("core:audit"), {"committee": trail.district.pk})
    assert _rows(response) == []
    assert response.context["form"].errors


@pytest.mark.django_db
def test_sysadmin_sees_every_committee_and_the_deployment_wide_rows(client, login, trail):
    login(client, trail.sysadmin)
    rows = _rows(client.get(reverse("core:audit")))
    assert {trail.district.pk, trail.other.pk, None} <= {r.committee_id for r in rows}
    rows = _rows(client.get(reverse("core:audit"), {"committee": "none"}))
    assert rows and all(r.committee_id is None for r in rows)
    assert "org.user_created" in {r.verb for r in rows}


@pytest.mark.django_db
def test_an_auditor_cannot_ask_for_deployment_wide_rows(client, login, trail):
    login(client, trail.auditor)
    response = client.get(reverse("core:audit"), {"committee": "none"})
    assert _rows(response) == []
    assert "committee" in response.context["form"].errors


@pytest.mark.django_db
def test_the_list_shows_translated_verb_labels_and_old_and_new_values(client, login, trail):
    login(client, trail.auditor)
    body = client.get(reverse("core:audit")).content.decode()
    assert "修改了界别信息" in body
    assert "经济界 → 经济界别" in body


@pytest.mark.django_db
def test_it_filters_by_verb_prefix(client, login, trail):
    login(client, trail.auditor)
    rows = _rows(client.get(reverse("core:audit"), {"verb": "org.sector_cr"}))
    assert [r.verb for r in rows] == ["org.sector_created"]


@pytest.mark.django_db
def test_it_filters_by_actor(client, login, trail, personas):
    actions.do_update_sector(trail.district_sector, {"order": 7}, actor=trail.sysadmin)
    login(client, trail.auditor)
    rows = _rows(client.get(reverse("core:audit"), {"actor": "sysadmin"}))
    assert [r.changes for r in rows] == [{"order": [0, 7]}]
    rows = _rows(client.get(reverse("core:audit"), {"actor": "office_admin"}))
    assert {r.actor_id for r in rows} == {trail.office_admin.pk}


@pytest.mark.django_db
def test_it_filters_by_target_type_and_text(client, login, trail):
    actions.do_create_department(trail.district, {"name": "区科技局", "kind": "government"}, actor=trail.office_admin)
    login(client, trail.auditor)
    rows = _rows(client.get(reverse("core:audit"), {"target_type": "org.department"}))
    assert [r.target_repr for r in rows] == ["区科技局"]
    rows = _rows(client.get(reverse("core:audit"), {"q": "科技"}))
    assert {r.target_repr for r in rows} == {"区科技局", "科技界"}
    rows = _rows(client.get(reverse("core:audit"), {"q": str(trail.district_sector.pk), "target_type": "org.sector"}))
    assert [r.target_repr for r in rows] == ["科技界"]


@pytest.mark.django_db
def test_it_filters_by_date_range_in_local_days(client, login, trail):
    old = AuditEvent.objects.get(verb="org.sector_created", committee_id=trail.district.pk)
    # 2026-03-01 23:30 in Beijing is still 1 March locally (15:30 UTC).
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30))
    )
    login(client, trail.auditor)
    rows = _rows(client.get(reverse("core:audit"), {"date_from": "2026-03-01", "date_to": "2026-03-01"}))
    assert [r.pk for r in rows] == [old.pk]
    rows = _rows(client.get(reverse("core:audit"), {"date_from": "2026-03-02"}))
    assert old.pk not in {r.pk for r in rows} and rows


@pytest.mark.django_db
def test_a_reversed_date_range_is_refused_with_a_message_and_no_rows(client, login, trail):
    login(client, trail.auditor)
    response = client.get(reverse("core:audit"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 200
    assert _rows(response) == []
    assert "起始日期不能晚于截止日期" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [{"date_from": "not-a-date"}, {"group": "12345"}, {"target_type": "auth.nonsense"}])
def test_malformed_filters_give_a_form_error_not_a_crash(client, login, trail, bad):
    login(client, trail.auditor)
    response = client.get(reverse("core:audit"), bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert _rows(response) == []


@pytest.mark.django_db
def test_it_filters_by_group(client, login, trail):
    term = actions.do_create_term(trail.district, {"number": 15, "start_date": "2022-01-01"}, actor=trail.office_admin)
    second = actions.do_create_term(trail.district, {"number": 16, "start_date": "2027-01-01"}, actor=trail.office_admin)
    actions.do_set_current_term(term, actor=trail.office_admin)
    actions.do_set_current_term(second, actor=trail.office_admin)
    group_id = AuditEvent.objects.filter(verb="org.term_updated").first().group_id
    login(client, trail.auditor)
    rows = _rows(client.get(reverse("core:audit"), {"group": str(group_id)}))
    assert len(rows) == 2 and {r.group_id for r in rows} == {group_id}


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_list_runs_a_fixed_number_of_queries_whatever_the_number_of_rows(client, login, trail):
    login(client, trail.auditor)
    url = reverse("core:audit")
    client.get(url)  # warm the content-type cache
    few = _count_queries(client, url)
    for i in range(60):
        actions.do_create_liaison_group(trail.district, {"name": f"街道{i}"}, actor=trail.office_admin)
    many = _count_queries(client, url)
    assert many == few
    assert _count_queries(client, url + "?page=2") == few


@pytest.mark.django_db
def test_the_group_page_shows_every_row_of_one_user_action(client, login, trail):
    term = actions.do_create_term(trail.district, {"number": 15, "start_date": "2022-01-01"}, actor=trail.office_admin)
    second = actions.do_create_term(trail.district, {"number": 16, "start_date": "2027-01-01"}, actor=trail.office_admin)
    actions.do_set_current_term(term, actor=trail.office_admin)
    actions.do_set_current_term(second, actor=trail.office_admin)
    group_id = AuditEvent.objects.filter(verb="org.term_updated").first().group_id
    login(client, trail.auditor)
    response = client.get(reverse("core:audit_group", args=[group_id]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 2
    assert [r.changes["is_current"] for r in rows] == [[True, False], [False, True]]
    assert "修改了届次信息" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_the_group_page_follows_the_same_permissions(client, login, trail, name):
    group_id = AuditEvent.objects.get(verb="org.sector_created", committee_id=trail.district.pk).group_id
    login(client, getattr(trail, name))
    response = client.get(reverse("core:audit_group", args=[group_id]))
    if name in {"auditor", "office_admin", "sysadmin"}:
        assert response.status_code == 200
    elif name == "other_staff":
        assert response.status_code == 404  # an auditor elsewhere learns nothing, not even that it exists
    else:
        assert response.status_code == 403


@pytest.mark.django_db
def test_an_unknown_group_is_404(client, login, trail):
    login(client, trail.sysadmin)
    assert client.get(reverse("core:audit_group", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.django_db
def test_the_anonymous_visitor_is_sent_to_sign_in(client, trail):
    response = client.get(reverse("core:audit"))
    assert response.status_code == 302 and "login" in response["Location"]


# Export ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_export_has_the_filtered_rows_and_never_a_formula(client, login, trail):
    actions.do_create_sector(trail.district, {"name": "=HYPERLINK(\"http://x\")"}, actor=trail.office_admin)
    actions.do_create_sector(trail.district, {"name": "@SUM(A1)"}, actor=trail.office_admin)
    login(client, trail.auditor)
    response = client.get(reverse("core:audit_export", args=["csv"]), {"verb": "org.sector_created"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = table[0], table[1:]
    assert header[0] == "时间"
    targets = {row[6] for row in body}
    assert targets == {"科技界", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)"}
    assert all(row[3] == "org.sector_created" for row in body)
    assert "西城教育界" not in text


@pytest.mark.django_db
def test_the_xlsx_export_stores_formula_like_text_as_text(client, login, trail):
    from openpyxl import load_workbook

    actions.do_create_sector(trail.district, {"name": "+1+2"}, actor=trail.office_admin)
    login(client, trail.office_admin)
    response = client.get(reverse("core:audit_export", args=["xlsx"]), {"q": "+1+2"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert values[1][6] == "'+1+2"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.django_db
def test_an_export_is_itself_audited(client, login, trail):
    login(client, trail.auditor)
    b"".join(client.get(reverse("core:audit_export", args=["csv"]), {"verb": "org."}).streaming_content)
    row = AuditEvent.objects.get(verb="core.audit_exported")
    assert row.actor == trail.auditor
    assert row.changes["filters"] == [None, {"verb": "org."}]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["member", "outsider", "committee_leader", "dept_handler"])
def test_the_export_is_refused_to_who_may_not_read_the_trail(client, login, trail, name):
    login(client, getattr(trail, name))
    assert client.get(reverse("core:audit_export", args=["csv"])).status_code == 403
    assert not AuditEvent.objects.filter(verb="core.audit_exported").exists()


@pytest.mark.django_db
def test_an_unknown_export_format_is_404(client, login, trail):
    login(client, trail.auditor)
    assert client.get(reverse("core:audit_export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_the_audit_link_shows_only_to_who_may_read_the_trail(client, login, trail):
    login(client, trail.auditor)
    assert reverse("core:audit") in client.get(reverse("workbench")).content.decode()
    client.logout()
    login(client, trail.member)
    assert reverse("core:audit") not in client.get(reverse("workbench")).content.decode()
