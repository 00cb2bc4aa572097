import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.library import actions
from xieshang.library.models import Document
from xieshang.search import index, query

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
SEED = SEEDS / "000_017fe7c7e68e8842.txt"


def docx_bytes(*paragraphs):
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds folder (../shared/seeds) is not present")
def test_the_seed_speech_imports_cleanly_and_is_found(personas, django_capture_on_commit_callbacks):
    p = personas
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.do_import_document(
            p.district, kind="speech", upload=SimpleUploadedFile(SEED.name, SEED.read_bytes()), actor=p.office_admin)
    assert document.title == "在区委政协工作会议上的讲话"
    text = document.index_text()
    assert "(qū)" not in text and "區" not in text
    assert "省略" not in text and "上一篇" not in text and "相关栏目" not in text
    assert "肪丁" not in text
    assert {"paywall", "navigation", "mojibake", "placeholder"} <= set(document.flag_kinds())
    assert document.original_text == SEED.read_text(encoding="utf-8")
    found = [e.object_id for e in query.search(p.member, "区委 政协 民主监督")]
    assert found == [document.pk]
    assert [e.object_id for e in query.search(p.member, "區委 政協 民主監督")] == [document.pk]


# The same kinds of damage as the seed speech, written for this test so that it runs where ../shared is absent
# (a clean checkout): a title line and Traditional text with pinyin annotations, placeholders, a paywall notice,
# a mojibake paragraph and site navigation at the end.
MESSY_SPEECH = (
    "標題:在區(qū)委政協(xié)工作會議上的講話 |\n"
    "同志們:今天召開區(qū)委政協(xié)工作會議,深入學習_總書記關於加強和改進人民政協工作的重要思想。\n"
    "政協要圍繞全區(qū)中心工作開展專題調研協商,加強民主監督,年度評議部門工作,群眾滿意率提高*%。\n"
    "推動了政 ……(快文网http://www.example.net省略1460字,正式会员可完整阅读)…… 深刻理解新時代人民政協的使命任務。\n"
    "指明?si肪丁⒚魅妨巳撾瘛M,也对政协工作提畴h誦履勘晷亂。政协要蛻仰“准”茁汒}沾笫、蛻仰“实”字扭住重点。\n"
    + "各鄉鎮、街道要充實政協工作力量,做好社情民意信息工作,對反映的問題跟蹤問效,推動解決群眾急難愁盼。\n" * 4
    + "上一篇:在市政協常委會會議上的講話 下一篇:在縣委政協工作會議上的講話 相關欄目:黨委 政協"
)


def test_a_messy_speech_like_the_seed_imports_cleanly_and_is_found(personas, django_capture_on_commit_callbacks):
    p = personas
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.do_import_document(
            p.district, kind="speech", upload=SimpleUploadedFile("speech.txt", MESSY_SPEECH.encode()),
            actor=p.office_admin)
    assert document.title == "在区委政协工作会议上的讲话"
    text = document.index_text()
    assert "(qū)" not in text and "(xié)" not in text and "區" not in text and "政協" not in text
    assert "省略" not in text and "上一篇" not in text and "相关栏目" not in text
    assert "肪丁" not in text
    assert "深刻理解新时代人民政协的使命任务" in text and "跟踪问效" in text
    assert {"paywall", "navigation", "mojibake", "placeholder"} <= set(document.flag_kinds())
    assert document.original_text == MESSY_SPEECH
    assert [e.object_id for e in query.search(p.member, "区委 政协 民主监督")] == [document.pk]
    assert [e.object_id for e in query.search(p.member, "區委 政協 民主監督")] == [document.pk]
    assert [e.object_id for e in query.search(p.member, "肪丁")] == []  # the mojibake is not searchable


def test_pasted_text_is_imported_and_audited(personas):
    document = actions.do_import_document(personas.district, title="学习资料", kind="study", text="政協章程。",
                                          actor=personas.info_editor)
    assert document.text == "政协章程。"
    assert AuditEvent.objects.filter(verb="library.imported").count() == 1


def test_a_docx_upload_is_read(personas):
    upload = SimpleUploadedFile("讲话.docx", docx_bytes("在區委政協工作會議上的講話", "加強民主監督。"))
    document = actions.do_import_document(personas.district, upload=upload, actor=personas.office_admin)
    assert document.title == "讲话.docx"
    assert "加强民主监督" in document.text


def test_a_gbk_text_file_is_decoded(personas):
    upload = SimpleUploadedFile("a.txt", "加强民主监督。".encode("gb18030"))
    document = actions.do_import_document(personas.district, title="甲", upload=upload, actor=personas.office_admin)
    assert document.text == "加强民主监督。"


@pytest.mark.parametrize("name,data,field", [
    ("a.pdf", b"%PDF-1.4", "file"),
    ("a.exe", b"MZ", "file"),
    ("a.docx", b"not a zip", "file"),
    ("a.txt", b"   ", "text"),
])
def test_bad_uploads_are_refused_and_nothing_is_written(personas, name, data, field):
    with pytest.raises(ValidationError) as exc:
        actions.do_import_document(personas.district, title="甲", upload=SimpleUploadedFile(name, data),
                                   actor=personas.office_admin)
    assert field in exc.value.message_dict
    assert not Document.objects.exists()


def test_import_is_refused_for_a_member_and_other_committee(personas):
    for user in (personas.member, personas.other_staff, personas.outsider):
        with pytest.raises(PermissionDenied):
            actions.do_import_document(personas.district, title="甲", text="正文。", actor=user)
    assert not Document.objects.exists()


def test_document_page_shows_the_flags(personas, client, login):
    document = actions.do_import_document(
        personas.district, title="讲话", text="深入学习_总书记讲话 ……(省略1460字,正式会员可完整阅读)…… 要求。",
        actor=personas.office_admin)
    login(client, personas.member)
    body = client.get(reverse("library:detail", args=["district", document.pk])).content.decode()
    assert '<mark class="lib-placeholder"' in body
    assert "付费提示" in body and "占位符" in body


@pytest.mark.parametrize("persona", ["other_staff", "outsider"])
def test_library_pages_are_refused_to_other_committee_and_outsider(personas, client, login, persona):
    document = actions.do_import_document(personas.district, title="讲话", text="正文。", actor=personas.office_admin)
    login(client, getattr(personas, persona))
    assert client.get(reverse("library:list", args=["district"])).status_code == 403
    assert client.get(reverse("library:detail", args=["district", document.pk])).status_code == 403
    assert client.post(reverse("library:delete", args=["district", document.pk])).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_member_reads_but_cannot_import(personas, client, login):
    login(client, personas.member)
    assert client.get(reverse("library:list", args=["district"])).status_code == 200
    assert client.get(reverse("library:import", args=["district"])).status_code == 403


def test_import_page_uploads_and_redirects(personas, client, login):
    login(client, personas.office_admin)
    response = client.post(reverse("library:import", args=["district"]), {
        "title": "", "kind": "speech", "source": "网站", "file": SimpleUploadedFile("a.txt", "標題:讲话稿 |\n正文。".encode())})
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.title == "讲话稿"


def test_import_page_shows_a_message_for_missing_input(personas, client, login):
    login(client, personas.office_admin)
    response = client.post(reverse("library:import", args=["district"]), {"title": "甲", "kind": "speech"})
    assert response.status_code == 422
    assert "请上传文件或粘贴正文" in response.content.decode()
    assert not Document.objects.exists()


def test_other_committee_documents_are_not_found(personas):
    document = actions.do_import_document(personas.district, title="讲话", text="民主监督。", actor=personas.office_admin)
    index.reindex("document", document.pk)
    assert query.search(personas.member, "民主监督").count() == 1
    assert query.search(personas.other_staff, "民主监督").count() == 0
