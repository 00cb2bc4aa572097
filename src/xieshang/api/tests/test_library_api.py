"""The library (文库) through the API: list, detail, import (JSON paste or multipart file) and delete.

Permissions as the pages: everyone in the committee reads, the office (office admin, information editor,
proposal staff, system administrator) imports and deletes; another committee's staff, an appointed informant and
an outsider cannot see the committee (404); anonymous callers are 401. Every refused import is a 422 with the
page's message and writes nothing: no document, no audit row, no search entry, no temporary upload file.
"""

import io
import typing

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.library import actions, extract
from xieshang.library.models import Document
from xieshang.library.tests.test_library import SEED, docx_bytes
from xieshang.library.tests.test_pdf import PIXEL, pdf_bytes
from xieshang.search.models import SearchEntry
from xieshang.testing import PERSONA_NAMES

from ..routers import library as library_router
from .helpers import bearer, call

API = "/api/v1/committees/district/documents"
IN_DISTRICT = {
    "member", "cosigner", "proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader",
    "auditor", "sysadmin", "dept_leader", "dept_handler", "other_dept_handler",
}
INVISIBLE = {"other_staff", "informant", "outsider"}
assert IN_DISTRICT | INVISIBLE == set(PERSONA_NAMES)
EDITORS = {"office_admin", "info_editor", "proposal_staff", "sysadmin"}
FLAGGED_TEXT = "深入学习_总书记讲话 ……(省略1460字,正式会员可完整阅读)…… 要求。"
# Text decoded with the wrong encoding, nothing else: the cleaning keeps nothing to index.
MOJIBAKE = "ÃƒÂ©Ã¢â‚¬â„¢Ã‚Â·Ã¤Â¸Â­Ã¦â€“â€¡Ã§Å¡â€žÃ¦â€"


def expected(persona, allowed, ok):
    if persona in allowed:
        return ok
    return 403 if persona in IN_DISTRICT else 404


def upload(client, user, fields, path=API):
    """A multipart import as ``user`` (bearer token)."""
    return client.post(path, fields, headers=bearer(user))


def paste(committee, actor, title="讲话", text="加强民主监督。", **kwargs):
    return actions.do_import_document(committee, title=title, text=text, actor=actor, **kwargs)


def assert_nothing_written():
    assert not Document.objects.exists()
    assert not SearchEntry.objects.filter(kind="document").exists()
    assert not AuditEvent.objects.filter(verb="library.imported").exists()


def errors_of(response):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and set(body) == {"detail", "errors"}
    return body["errors"]


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the search index's on-commit updates of each request, as a real request's transaction would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


# Permissions ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_reading_follows_the_rules(client, personas, persona):
    document = paste(personas.district, personas.office_admin)
    user = getattr(personas, persona)
    status = expected(persona, IN_DISTRICT, 200)
    listing = call(client, "GET", API, user)
    detail = call(client, "GET", f"{API}/{document.pk}", user)
    assert (listing.status_code, detail.status_code) == (status, status)
    if status == 200:
        assert [d["id"] for d in listing.json()["items"]] == [document.pk]
        assert detail.json()["title"] == "讲话"
    else:
        for response in (listing, detail):
            assert set(response.json()) == {"detail"}
            assert "讲话" not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_importing_follows_the_rules(client, personas, persona, on_commit):
    user = getattr(personas, persona)
    status = expected(persona, EDITORS, 201)
    with on_commit():
        response = call(client, "POST", API, user, {"title": "讲话", "text": "加强民主监督。"})
    assert response.status_code == status, response.content
    assert Document.objects.filter(committee=personas.district).exists() == (status == 201)
    if status == 201:
        assert response.json()["created_by"]["username"] == persona
    else:
        assert set(response.json()) == {"detail"}
        assert_nothing_written()


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_uploading_follows_the_rules(client, personas, persona):
    user = getattr(personas, persona)
    status = expected(persona, EDITORS, 201)
    response = upload(client, user, {"file": SimpleUploadedFile("讲话.txt", "加强民主监督。".encode())})
    assert response.status_code == status, response.content
    assert Document.objects.exists() == (status == 201)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_deleting_follows_the_rules(client, personas, persona):
    document = paste(personas.district, personas.office_admin)
    status = expected(persona, EDITORS, 204)
    response = call(client, "DELETE", f"{API}/{document.pk}", getattr(personas, persona))
    assert response.status_code == status, response.content
    assert Document.objects.filter(pk=document.pk).exists() == (status != 204)
    assert AuditEvent.objects.filter(verb="library.deleted").exists() == (status == 204)


def test_a_refused_caller_gets_the_permission_answer_before_any_input_check(client, personas):
    response = call(client, "POST", API, personas.member, {"unknown": 1})
    assert response.status_code == 403
    assert call(client, "POST", API, personas.outsider, {"unknown": 1}).status_code == 404
    assert call(client, "DELETE", f"{API}/999999", personas.member).status_code == 403


def test_another_committees_document_is_a_404_through_this_committee(client, personas):
    theirs = paste(personas.other, personas.other_staff, title="西城讲话")
    admin = personas.office_admin
    assert call(client, "GET", f"{API}/{theirs.pk}", admin).status_code == 404
    assert call(client, "DELETE", f"{API}/{theirs.pk}", admin).status_code == 404
    assert call(client, "GET", API, admin).json()["count"] == 0
    assert Document.objects.filter(pk=theirs.pk).exists()
    # Their own staff read and delete it through their committee.
    own = f"/api/v1/committees/other/documents/{theirs.pk}"
    assert call(client, "GET", own, personas.other_staff).json()["title"] == "西城讲话"
    assert call(client, "DELETE", own, personas.other_staff).status_code == 204
    assert not Document.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_document_or_committee_is_a_404(client, personas):
    admin = personas.office_admin
    assert call(client, "GET", f"{API}/999999", admin).status_code == 404
    assert call(client, "DELETE", f"{API}/999999", admin).status_code == 404
    assert call(client, "GET", "/api/v1/committees/nowhere/documents", personas.sysadmin).status_code == 404
    assert call(client, "POST", "/api/v1/committees/nowhere/documents", personas.sysadmin,
                {"title": "甲", "text": "正文。"}).status_code == 404


def test_anonymous_callers_are_401(client, personas):
    document = paste(personas.district, personas.office_admin)
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{document.pk}").status_code == 401
    assert client.post(API, {"title": "甲", "text": "正文。"}, content_type="application/json").status_code == 401
    assert client.post(API, {"file": SimpleUploadedFile("a.txt", "正文。".encode())}).status_code == 401
    assert client.delete(f"{API}/{document.pk}").status_code == 401
    assert list(Document.objects.all()) == [document]


def test_session_auth_reads_and_imports_with_the_csrf_token_only(personas, login):
    browser = login(Client(enforce_csrf_checks=True), personas.office_admin)
    assert browser.get(API).status_code == 200
    refused = browser.post(API, {"title": "甲", "text": "正文。"}, content_type="application/json")
    assert refused.status_code == 403
    refused = browser.post(API, {"file": SimpleUploadedFile("a.txt", "正文。".encode())})
    assert refused.status_code == 403
    assert not Document.objects.exists()
    # The import page sets the CSRF cookie, as in the browser.
    assert browser.get(reverse("library:import", args=["district"])).status_code == 200
    token = {"X-CSRFToken": browser.cookies["csrftoken"].value}
    pasted = browser.post(API, {"title": "甲", "text": "正文。"}, content_type="application/json", headers=token)
    assert pasted.status_code == 201, pasted.content
    uploaded = browser.post(API, {"file": SimpleUploadedFile("乙.txt", "正文。".encode())}, headers=token)
    assert uploaded.status_code == 201, uploaded.content
    assert browser.delete(f"{API}/{pasted.json()['id']}", headers=token).status_code == 204
    assert list(Document.objects.values_list("title", flat=True)) == ["乙.txt"]


# Import ---------------------------------------------------------------------------------------------------

def test_pasted_text_is_cleaned_saved_audited_and_returned(client, personas):
    response = call(client, "POST", API, personas.info_editor,
                    {"title": " 学习资料 ", "text": "加強民主監督。", "kind": "study", "source": "网站"})
    assert response.status_code == 201, response.content
    body = response.json()
    document = Document.objects.get()
    assert body["id"] == document.pk and body["committee"] == "district"
    assert (body["title"], body["kind"], body["kind_label"], body["source"]) == ("学习资料", "study", "学习资料", "网站")
    assert body["filename"] == "" and body["original_text"] == "加強民主監督。"
    assert body["text"] == "加强民主监督。" == document.text
    assert body["size"] == len("加強民主監督。")
    assert body["created_by"] == {"username": "info_editor", "full_name": personas.info_editor.get_full_name()}
    event = AuditEvent.objects.get(verb="library.imported")
    assert event.via == "api" and event.actor == personas.info_editor


def test_the_title_and_kind_default_as_on_the_page(client, personas):
    body = call(client, "POST", API, personas.office_admin, {"text": "標題:讲话稿 |\n正文。"}).json()
    assert (body["title"], body["kind"], body["text"]) == ("讲话稿", "other", "正文。")
    body = upload(client, personas.office_admin, {"file": SimpleUploadedFile("通知.txt", "正文。".encode())}).json()
    assert (body["title"], body["kind"], body["filename"]) == ("通知.txt", "other", "通知.txt")


def test_a_text_file_upload_with_title_kind_and_source(client, personas):
    response = upload(client, personas.office_admin, {
        "file": SimpleUploadedFile("a.txt", "加强民主监督。".encode("gb18030")), "title": "甲", "kind": "regulation",
        "source": "区政协办公室"})
    assert response.status_code == 201, response.content
    document = Document.objects.get()
    assert (document.title, document.kind, document.source, document.filename) == ("甲", "regulation", "区政协办公室", "a.txt")
    assert response.json()["text"] == "加强民主监督。"


def test_a_docx_upload_is_read(client, personas):
    response = upload(client, personas.office_admin, {
        "file": SimpleUploadedFile("讲话.docx", docx_bytes("在區委政協工作會議上的講話", "加強民主監督。"))})
    assert response.status_code == 201, response.content
    assert response.json()["filename"] == "讲话.docx"
    assert "加强民主监督" in response.json()["text"]


def test_a_pdf_upload_is_read_and_found(client, personas, on_commit):
    data = pdf_bytes("<p>加強民主監督，推進協商民主。</p>", "<p>区委政协民主监督工作要点。</p>")
    with on_commit():
        response = upload(client, personas.office_admin, {
            "file": SimpleUploadedFile("要点.pdf", data, content_type="application/pdf"), "kind": "study"})
    assert response.status_code == 201, response.content
    assert "加强民主监督" in response.json()["text"] and "区委政协民主监督工作要点" in response.json()["text"]
    found = call(client, "GET", "/api/v1/search?q=协商民主&kind=document", personas.member).json()["items"]
    assert [(h["kind"], h["object_id"]) for h in found] == [("document", response.json()["id"])]


@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds folder (../shared/seeds) is not present")
def test_the_seed_speech_is_imported_flagged_and_found_by_search(client, personas, on_commit):
    with on_commit():
        response = upload(client, personas.office_admin, {
            "file": SimpleUploadedFile(SEED.name, SEED.read_bytes()), "kind": "speech"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "在区委政协工作会议上的讲话" and body["filename"] == SEED.name
    assert body["original_text"] == SEED.read_text(encoding="utf-8")
    assert body["size"] == len(body["original_text"])
    assert {"paywall", "navigation", "mojibake", "placeholder"} <= set(body["flag_kinds"])
    assert [f["kind"] for f in body["flags"]] == body["flag_kinds"]
    assert {s["kind"] for s in body["segments"]} == {"text", "placeholder", "mojibake", "cut"}
    assert "".join(s["text"] for s in body["segments"]) == body["text"]
    assert "(qū)" not in body["text"] and "區" not in body["text"] and "上一篇" not in body["text"]
    for user in (personas.member, personas.office_admin):
        hits = call(client, "GET", "/api/v1/search?q=区委 政协 民主监督", user).json()["items"]
        assert [(h["kind"], h["object_id"]) for h in hits] == [("document", body["id"])]
    traditional = call(client, "GET", "/api/v1/search?q=區委 政協 民主監督", personas.member).json()["items"]
    assert [h["object_id"] for h in traditional] == [body["id"]]
    assert call(client, "GET", "/api/v1/search?q=区委 政协 民主监督", personas.other_staff).json()["count"] == 0


def test_a_deleted_document_leaves_the_search_index(client, personas, on_commit):
    with on_commit():
        created = call(client, "POST", API, personas.office_admin, {"title": "讲话", "text": "推进协商民主。"}).json()
    assert call(client, "GET", "/api/v1/search?q=协商民主", personas.member).json()["count"] == 1
    with on_commit():
        assert call(client, "DELETE", f"{API}/{created['id']}", personas.office_admin).status_code == 204
    assert call(client, "GET", "/api/v1/search?q=协商民主", personas.member).json()["count"] == 0
    assert call(client, "GET", f"{API}/{created['id']}", personas.office_admin).status_code == 404
    event = AuditEvent.objects.get(verb="library.deleted")
    assert event.via == "api" and event.actor == personas.office_admin


# Refused imports: 422, the page's message, nothing written ------------------------------------------------

def _encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("<p>加强民主监督。</p>"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf():
    return pdf_bytes(f'<img src="data:image/png;base64,{PIXEL}" width="300" height="400">')


def _truncated_pdf():
    data = pdf_bytes("<p>加强民主监督。</p>")
    return data[: len(data) // 2]


BAD_FILES = [
    ("病毒.exe", lambda: b"MZ", "只支持 .txt、.docx 和 .pdf 文件"),
    ("表格.xlsx", lambda: b"PK\x03\x04", "只支持 .txt、.docx 和 .pdf 文件"),
    ("加密.pdf", _encrypted_pdf, "已加密"),
    ("扫描件.pdf", _scanned_pdf, "没有文字层"),
    ("截断.pdf", _truncated_pdf, "已损坏或不完整"),
    ("假的.pdf", lambda: b"not a pdf at all", "不是 PDF 格式"),
    ("坏的.docx", lambda: b"not a zip", "无法读取该 Word 文件"),
]


@pytest.mark.parametrize("name,make,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_an_unreadable_or_unsupported_file_is_refused(client, personas, on_commit, name, make, message):
    with on_commit():
        response = upload(client, personas.office_admin, {"file": SimpleUploadedFile(name, make()), "title": "甲"})
    errors = errors_of(response)
    assert message in " ".join(errors["file"]), errors
    assert_nothing_written()


def test_a_file_over_the_size_limit_is_refused_and_leaves_no_temporary_file(client, personas, settings, tmp_path,
                                                                           monkeypatch, on_commit):
    monkeypatch.setattr(extract, "MAX_BYTES", 100)
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # every upload goes through a temporary file on disk
    with on_commit():
        response = upload(client, personas.office_admin, {"file": SimpleUploadedFile("大.txt", "政".encode() * 34)})
    assert "文件不能超过" in " ".join(errors_of(response)["file"])
    assert_nothing_written()
    assert list(tmp_path.iterdir()) == []
    # The same upload at the limit is accepted (and its temporary file is gone as well).
    response = upload(client, personas.office_admin, {"file": SimpleUploadedFile("大.txt", "政".encode() * 33)})
    assert response.status_code == 201, response.content
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("body,field,message", [
    ({"title": "甲", "text": "   \n "}, "__all__", "请上传文件或粘贴正文"),
    ({"title": "甲", "text": ""}, "__all__", "请上传文件或粘贴正文"),
    ({"title": "甲"}, "text", "必填"),
    ({"text": "没有标题的正文。"}, "title", "请填写标题"),
    ({"title": "甲", "text": MOJIBAKE}, "text", "清理后没有可用的正文"),
    ({"title": "甲" * 201, "text": "正文。"}, "title", "内容过长"),
    ({"title": "甲", "text": "正文。", "source": "源" * 201}, "source", "内容过长"),
    ({"title": "甲", "text": "正文。", "kind": "novel"}, "kind", "取值不在允许范围内"),
    ({"title": 1, "text": "正文。"}, "title", "须为字符串"),
    ({"title": "甲", "text": ["正文"]}, "text", "须为字符串"),
    ({"title": "甲", "text": "正文。", "file": "a.txt"}, "file", "未知字段"),
], ids=["blank", "empty", "no-text", "no-title", "mojibake-only", "long-title", "long-source", "bad-kind",
        "title-not-string", "text-not-string", "file-in-json"])
def test_bad_pasted_input_is_a_422_that_writes_nothing(client, personas, on_commit, body, field, message):
    with on_commit():
        errors = errors_of(call(client, "POST", API, personas.office_admin, body))
    assert message in " ".join(errors[field]), errors
    assert_nothing_written()


@pytest.mark.parametrize("raw", ["", "{", "null", "[]", '"text"', "title=甲&text=正文"])
def test_a_body_that_is_not_a_json_object_is_a_422(client, personas, raw):
    response = call(client, "POST", API, personas.office_admin, raw=raw)
    assert errors_of(response)
    assert_nothing_written()


def test_a_body_that_is_neither_json_nor_multipart_is_a_422(client, personas):
    response = client.post(API, "title=甲&text=正文", content_type="application/x-www-form-urlencoded",
                           headers=bearer(personas.office_admin))
    assert "不是有效的 JSON" in " ".join(errors_of(response)["__all__"])
    assert_nothing_written()


@pytest.mark.parametrize("fields,field,message", [
    ({"title": "甲"}, "__all__", "请上传文件或粘贴正文"),
    ({"title": "甲", "text": "正文。", "file": ("a.txt", "正文。")}, "__all__", "请只选择一种方式"),
    ({"title": "甲" * 201, "file": ("a.txt", "正文。")}, "title", "200"),
    ({"kind": "novel", "file": ("a.txt", "正文。")}, "kind", "novel"),
    ({"file": ("空.txt", "  \n ")}, "text", "请上传文件或粘贴正文"),
    ({"file": ("乱码.txt", MOJIBAKE)}, "text", "清理后没有可用的正文"),
    ({"title": "甲", "titel": "乙", "file": ("a.txt", "正文。")}, "titel", "未知字段"),
    ({"title": "甲", "attachment": ("a.txt", "正文。")}, "attachment", "未知字段"),
], ids=["nothing", "file-and-text", "long-title", "bad-kind", "empty-file", "mojibake-file", "unknown-field",
        "file-under-another-name"])
def test_bad_multipart_input_is_a_422_that_writes_nothing(client, personas, on_commit, fields, field, message):
    fields = {k: SimpleUploadedFile(v[0], v[1].encode()) if isinstance(v, tuple) else v for k, v in fields.items()}
    with on_commit():
        errors = errors_of(upload(client, personas.office_admin, fields))
    assert message in " ".join(errors[field]), errors
    assert_nothing_written()


def test_two_files_in_one_import_are_refused(client, personas):
    files = [SimpleUploadedFile("a.txt", "甲。".encode()), SimpleUploadedFile("b.txt", "乙。".encode())]
    errors = errors_of(upload(client, personas.office_admin, {"file": files}))
    assert "一个文件" in " ".join(errors["file"])
    assert_nothing_written()


# Reading --------------------------------------------------------------------------------------------------

def test_the_detail_carries_the_cleaning_flags_and_segments_of_the_page(client, personas):
    document = paste(personas.district, personas.office_admin, text=FLAGGED_TEXT, kind="speech", source="网站")
    body = call(client, "GET", f"{API}/{document.pk}", personas.member).json()
    assert body["flag_kinds"] == ["paywall", "placeholder"]
    paywall, placeholder = body["flags"]
    assert paywall["kind"] == "paywall" and "省略1460字" in paywall["excerpt"] and paywall["count"] is None
    assert placeholder == {"kind": "placeholder", "count": 1, "excerpt": "_"}
    assert [s["kind"] for s in body["segments"]] == ["text", "placeholder", "text", "cut", "text"]
    assert body["text"] == document.text and "省略" not in body["text"]
    assert body["original_text"] == FLAGGED_TEXT and body["size"] == len(FLAGGED_TEXT)
    assert (body["kind"], body["kind_label"], body["source"]) == ("speech", "讲话", "网站")
    assert body["created_by"]["username"] == "office_admin"
    assert body["created_at"] and body["updated_at"]


@pytest.mark.parametrize("persona,can_delete", [("member", False), ("auditor", False), ("office_admin", True),
                                                ("info_editor", True), ("sysadmin", True)])
def test_the_detail_says_whether_the_caller_may_delete(client, personas, persona, can_delete):
    document = paste(personas.district, personas.office_admin)
    assert call(client, "GET", f"{API}/{document.pk}", getattr(personas, persona)).json()["can_delete"] is can_delete


def test_the_importer_may_be_gone(client, personas):
    document = paste(personas.district, personas.office_admin)
    personas.office_admin.delete()
    assert call(client, "GET", f"{API}/{document.pk}", personas.member).json()["created_by"] is None
    assert call(client, "GET", API, personas.member).json()["items"][0]["created_by"] is None


def test_the_list_is_paged_newest_first_and_filtered_by_kind(client, personas):
    ids = [paste(personas.district, personas.office_admin, title=f"资料{i}", kind="speech" if i % 2 else "study").pk
           for i in range(5)]
    paste(personas.other, personas.other_staff, title="西城资料")
    member = personas.member
    page = call(client, "GET", f"{API}?limit=2&offset=1", member).json()
    assert (page["count"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [d["id"] for d in page["items"]] == ids[::-1][1:3]
    assert set(page["items"][0]) == {"id", "committee", "title", "kind", "kind_label", "source", "filename",
                                     "flag_kinds", "size", "created_by", "created_at"}
    speeches = call(client, "GET", f"{API}?kind=speech", member).json()
    assert [d["id"] for d in speeches["items"]] == [ids[3], ids[1]] and speeches["count"] == 2
    assert call(client, "GET", f"{API}?offset=10", member).json()["items"] == []


def test_the_list_shows_the_flags_and_size(client, personas):
    paste(personas.district, personas.office_admin, text=FLAGGED_TEXT)
    item = call(client, "GET", API, personas.member).json()["items"][0]
    assert item["flag_kinds"] == ["paywall", "placeholder"] and item["size"] == len(FLAGGED_TEXT)


@pytest.mark.parametrize("query,field", [("kind=novel", "kind"), ("limit=0", "limit"), ("limit=501", "limit"),
                                         ("offset=-1", "offset"), ("limit=x", "limit")])
def test_bad_list_parameters_are_a_422(client, personas, query, field):
    assert field in errors_of(call(client, "GET", f"{API}?{query}", personas.member))


def test_a_non_numeric_document_id_is_not_a_document(client, personas):
    assert call(client, "GET", f"{API}/abc", personas.member).status_code == 404


# Schema ---------------------------------------------------------------------------------------------------

def test_the_kinds_of_the_schema_are_the_models():
    assert set(typing.get_args(library_router.Kind)) == set(Document.Kind.values)


def test_openapi_documents_both_import_bodies(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths[API.replace("district", "{code}")]) == {"get", "post"}
    assert set(paths[API.replace("district", "{code}") + "/{document_id}"]) == {"get", "delete"}
    content = paths[API.replace("district", "{code}")]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert set(content["application/json"]["schema"]["properties"]) == {"title", "kind", "source", "text"}
    assert content["multipart/form-data"]["schema"]["required"] == ["file"]
