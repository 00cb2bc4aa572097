"""The rest of the API's behaviour: audit origin, schema and docs, paging, calendar, inbox, workbench, import."""

import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.api import actions as api_actions
from xieshang.api.models import ApiToken
from xieshang.core import calendar, workbench
from xieshang.core.models import AuditEvent, CalendarDay, CalendarYear, Notification
from xieshang.org.models import ImportJob, Member

from .helpers import bearer, call


def test_an_api_write_is_audited_as_coming_from_the_api(client, personas):
    response = call(client, "POST", "/api/v1/committees/district/sectors", personas.office_admin,
                    {"name": "科技界", "order": 3})
    assert response.status_code == 201
    event = AuditEvent.objects.get(verb="org.sector_created")
    assert event.via == "api"
    assert event.actor == personas.office_admin
    assert event.committee_id == personas.district.pk
    assert event.target_id == str(response.json()["id"])
    assert event.changes["name"] == [None, "科技界"]


def test_an_api_update_is_one_audit_group_with_old_and_new_values(client, personas):
    response = call(client, "PATCH", f"/api/v1/committees/district/members/{personas.member_row.pk}",
                    personas.office_admin, {"unit": "示范公司", "post": "总经理"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="org.member_updated")
    assert event.via == "api"
    assert event.changes == {"unit": ["", "示范公司"], "post": ["", "总经理"]}


def test_the_audit_endpoint_filters_by_verb_and_via(client, personas):
    call(client, "POST", "/api/v1/committees/district/sectors", personas.office_admin, {"name": "科技界"})
    from xieshang.org import actions

    actions.do_create_sector(personas.district, {"name": "文艺界"}, actor=personas.office_admin)
    items = call(client, "GET", "/api/v1/audit?committee=district&verb=org.sector&via=api",
                 personas.auditor).json()["items"]
    assert [e["target_repr"] for e in items] == ["科技界"]
    assert items[0]["actor"] == "office_admin" and items[0]["target_type"] == "org.sector"


# OpenAPI and the docs page --------------------------------------------------------------------------------

def test_openapi_is_valid_json_listing_the_paths(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/committees", "/api/v1/committees/{code}/members", "/api/v1/calendar/deadline",
                 "/api/v1/committees/{code}/roles", "/api/v1/audit", "/api/v1/notifications", "/api/v1/workbench",
                 "/api/v1/committees/{code}/import/{kind}"):
        assert path in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_the_docs_page_loads_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "//" not in "".join(urls)
    assert "<script>" not in html.replace(" ", "")  # no inline script; the JSON settings block is inert
    settings = json.loads(re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>',
                                    html, re.S).group(1))
    assert settings["url"] == "/api/v1/openapi.json" and settings["validatorUrl"] is None
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert script_src.strip() == "'self'"
    assert "'unsafe-inline'" in re.search(r"style-src ([^;]*)", csp).group(1)


def test_only_the_docs_relax_the_style_policy(client, personas):
    response = call(client, "GET", "/api/v1/committees/district", personas.member)
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")


# Paging ----------------------------------------------------------------------------------------------------

def _add_members(committee, sector, n):
    Member.objects.bulk_create([Member(committee=committee, name=f"委员{i:03d}", sector=sector) for i in range(n)])


def test_members_are_paged_with_a_total(client, personas):
    _add_members(personas.district, personas.sector, 30)
    headers = bearer(personas.office_admin)
    first = call(client, "GET", "/api/v1/committees/district/members?limit=10", headers=headers).json()
    second = call(client, "GET", "/api/v1/committees/district/members?limit=10&offset=10", headers=headers).json()
    assert first["count"] == second["count"] == 32
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}


def test_member_filters(client, personas):
    _add_members(personas.district, None, 3)
    headers = bearer(personas.office_admin)
    by_sector = call(client, "GET", f"/api/v1/committees/district/members?sector={personas.sector.pk}",
                     headers=headers).json()
    assert {m["name"] for m in by_sector["items"]} == {"王建国", "李秀英"}
    by_name = call(client, "GET", "/api/v1/committees/district/members?q=委员00", headers=headers).json()
    assert by_name["count"] == 3


def _queries(client, path, headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("path", [
    "/api/v1/committees/district/members?limit=100",
    "/api/v1/committees/district/departments?limit=100",
    "/api/v1/audit?committee=district&limit=100",
])
def test_a_page_costs_the_same_queries_whatever_its_size(client, personas, path):
    from xieshang.org import actions

    headers = bearer(personas.office_admin)
    client.get(path, headers=headers)  # warm caches (content types, calendar)
    small = _queries(client, path, headers)
    _add_members(personas.district, personas.sector, 40)
    for i in range(20):
        actions.do_create_department(personas.district, {"name": f"单位{i}", "kind": "other"}, actor=personas.office_admin)
    assert _queries(client, path, headers) == small


# Calendar -------------------------------------------------------------------------------------------------

@pytest.fixture
def national_day_2026(db):
    CalendarYear.objects.get_or_create(year=2026)
    for day in range(1, 8):
        CalendarDay.objects.update_or_create(date=datetime.date(2026, 10, day),
                                             defaults={"kind": "holiday", "name": "国庆节"})
    CalendarDay.objects.update_or_create(date=datetime.date(2026, 10, 10), defaults={"kind": "workday", "name": "国庆节"})
    CalendarYear.objects.filter(year=2099).delete()
    calendar.invalidate()


def test_deadline_in_working_days_crosses_national_day(client, personas, national_day_2026):
    response = call(client, "GET", "/api/v1/calendar/deadline?start=2026-09-30&working_days=5", personas.member)
    assert response.status_code == 200
    assert response.json()["due"] == "2026-10-13"


def test_deadline_in_months_moves_off_a_holiday(client, personas, national_day_2026):
    response = call(client, "GET", "/api/v1/calendar/deadline?start=2026-07-03&months=3", personas.member)
    assert response.status_code == 200
    assert response.json()["due"] == "2026-10-08"


def test_a_deadline_beyond_the_loaded_calendar_is_a_409(client, personas, national_day_2026):
    response = call(client, "GET", "/api/v1/calendar/deadline?start=2099-03-01&working_days=5", personas.member)
    assert response.status_code == 409
    assert "2099" in response.json()["detail"]


@pytest.mark.parametrize("query", ["start=2026-09-30", "start=2026-09-30&working_days=5&months=1",
                                   "start=2026-13-01&working_days=5", "working_days=5"])
def test_a_malformed_deadline_question_is_a_422(client, personas, national_day_2026, query):
    assert call(client, "GET", f"/api/v1/calendar/deadline?{query}", personas.member).status_code == 422


def test_the_days_of_a_year(client, personas, national_day_2026):
    body = call(client, "GET", "/api/v1/calendar/2026", personas.member).json()
    assert body["loaded"] is True
    assert {"date": "2026-10-10", "kind": "workday", "name": "国庆节"} in body["days"]
    assert call(client, "GET", "/api/v1/calendar/2099", personas.member).json()["loaded"] is False


def test_the_calendar_needs_authentication(client, national_day_2026):
    assert client.get("/api/v1/calendar/2026").status_code == 401


# Notifications and workbench -------------------------------------------------------------------------------

def test_my_inbox_lists_only_my_notifications_and_marks_them_read(client, personas):
    mine = Notification.objects.create(recipient=personas.member, kind="test", title="您有新的提案待处理")
    theirs = Notification.objects.create(recipient=personas.cosigner, kind="test", title="别人的通知")
    headers = bearer(personas.member)
    listed = call(client, "GET", "/api/v1/notifications?unread=true", headers=headers).json()
    assert [n["title"] for n in listed["items"]] == ["您有新的提案待处理"]
    assert call(client, "POST", f"/api/v1/notifications/{theirs.pk}/read", headers=headers).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = call(client, "POST", f"/api/v1/notifications/{mine.pk}/read", headers=headers)
    assert response.status_code == 200 and response.json()["read_at"]
    assert call(client, "GET", "/api/v1/notifications?unread=true", headers=headers).json()["count"] == 0


def test_mark_all_read_touches_only_my_inbox(client, personas):
    Notification.objects.create(recipient=personas.member, kind="test", title="一")
    other = Notification.objects.create(recipient=personas.cosigner, kind="test", title="二")
    response = call(client, "POST", "/api/v1/notifications/read-all", personas.member)
    assert response.json() == {"marked": 1}
    other.refresh_from_db()
    assert other.read_at is None


def test_my_workbench_lists_my_items(client, personas):
    def provider(user):
        if user == personas.dept_handler:
            return [workbench.TodoItem(kind="test.reply", title="答复提案 12 号", url="/p/12/",
                                       due=datetime.date(2000, 1, 1))]
        return []

    workbench.register(provider)
    try:
        mine = call(client, "GET", "/api/v1/workbench", personas.dept_handler).json()
        others = call(client, "GET", "/api/v1/workbench", personas.other_dept_handler).json()
    finally:
        workbench.unregister(provider)
    assert [i["title"] for i in mine if i["kind"] == "test.reply"] == ["答复提案 12 号"]
    assert [i for i in mine if i["kind"] == "test.reply"][0]["overdue"] is True
    assert not [i for i in others if i["kind"] == "test.reply"]


# Tokens whose secret contains the separator ----------------------------------------------------------------

def test_a_secret_containing_underscores_still_authenticates(client, personas, monkeypatch):
    monkeypatch.setattr(api_actions.secrets, "token_urlsafe", lambda n: "a_b_c_" + "x" * 37)
    _token, secret = api_actions.do_create_api_token(personas.member, "t", actor=personas.member)
    assert secret.count("_") > 2
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


# Excel import ----------------------------------------------------------------------------------------------

def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "members.xlsx"
    return out


def test_an_import_applies_every_row(client, personas):
    upload = _xlsx([["姓名", "性别", "界别"], ["张三", "男", "经济界"], ["李四", "女", "经济界"]])
    response = client.post("/api/v1/committees/district/import/members", {"file": upload},
                           headers=bearer(personas.office_admin))
    assert response.status_code == 201, response.content
    assert response.json()["ok"] is True and response.json()["created"] == 2
    assert set(Member.objects.filter(name__in=["张三", "李四"]).values_list("committee__code", flat=True)) == {"district"}


def test_an_import_with_a_bad_row_writes_nothing_and_names_the_row(client, personas):
    upload = _xlsx([["姓名", "性别", "界别"], ["张三", "男", "经济界"], ["李四", "女", "不存在的界别"]])
    response = client.post("/api/v1/committees/district/import/members", {"file": upload},
                           headers=bearer(personas.office_admin))
    assert response.status_code == 422
    assert response.json()["ok"] is False
    assert [e["row"] for e in response.json()["errors"]] == [3]
    assert not Member.objects.filter(name__in=["张三", "李四"]).exists()
    assert ImportJob.objects.get().status == "failed"


def test_an_import_that_is_not_xlsx_is_a_422(client, personas):
    upload = io.BytesIO(b"name,gender\n")
    upload.name = "members.csv"
    response = client.post("/api/v1/committees/district/import/members", {"file": upload},
                           headers=bearer(personas.office_admin))
    assert response.status_code == 422
    assert response.json()["errors"][0]["row"] is None


@pytest.mark.parametrize("persona,status", [
    ("office_admin", 201), ("proposal_staff", 403), ("member", 403), ("other_staff", 404), ("outsider", 404),
])
def test_importing_members_follows_the_rules(client, personas, persona, status):
    upload = _xlsx([["姓名", "性别", "界别"], ["张三", "男", "经济界"]])
    response = client.post("/api/v1/committees/district/import/members", {"file": upload},
                           headers=bearer(getattr(personas, persona)))
    assert response.status_code == status
    assert Member.objects.filter(name="张三").exists() == (status == 201)
    if status != 201:
        assert set(response.json()) == {"detail"}
        assert not ImportJob.objects.exists()


def test_an_unknown_import_kind_is_a_404(client, personas):
    upload = _xlsx([["姓名"]])
    response = client.post("/api/v1/committees/district/import/proposals", {"file": upload},
                           headers=bearer(personas.office_admin))
    assert response.status_code == 404
