"""PDF import for the library: text read page by page from PDFs made at test time with WeasyPrint (which embeds
the CJK font with its ToUnicode map), and the refusals (encrypted, scanned, damaged), each writing nothing."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.library import actions
from xieshang.library.extract import pdf_text
from xieshang.library.models import Document
from xieshang.search import query

# A 1×1 PNG: the only content of the "scanned" page.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def pdf_bytes(*pages):
    """A PDF with one page per argument (HTML fragments), made by WeasyPrint with its CJK font embedded."""
    from weasyprint import HTML

    body = "".join(f'<section style="page-break-after: always">{p}</section>' for p in pages)
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def upload(data, name="讲话.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refused(personas, data, name="a.pdf"):
    """The message of the ValidationError the import raises; asserts nothing was written."""
    with pytest.raises(ValidationError) as exc:
        actions.do_import_document(personas.district, title="甲", upload=upload(data, name),
                                   actor=personas.office_admin)
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(verb="library.imported").exists()
    return " ".join(exc.value.message_dict["file"])


@pytest.fixture(scope="module")
def two_page_pdf():
    return pdf_bytes("<h1>在區委政協工作會議上的講話</h1><p>加強民主監督，推進協商民主。</p>",
                     "<p>第二部分：区委政协民主监督工作要点。</p>")


def test_text_is_read_page_by_page(two_page_pdf):
    text = pdf_text(two_page_pdf)
    first, second = text.split("\n\n")
    assert "在區委政協工作會議上的講話" in first and "加強民主監督" in first
    assert "区委政协民主监督工作要点" in second


def test_traditional_and_simplified_pdf_text_is_imported_and_found(personas, two_page_pdf,
                                                                    django_capture_on_commit_callbacks):
    p = personas
    with django_capture_on_commit_callbacks(execute=True):
        document = actions.do_import_document(p.district, title="讲话", kind="speech", upload=upload(two_page_pdf),
                                              actor=p.office_admin)
    assert document.filename == "讲话.pdf"
    # The original keeps the Traditional characters; the cleaned text is Simplified.
    assert "政協" in document.original_text
    assert "加强民主监督" in document.text and "區" not in document.text
    assert "区委政协民主监督工作要点" in document.text
    assert [e.object_id for e in query.search(p.member, "区委 政协 民主监督")] == [document.pk]
    assert [e.object_id for e in query.search(p.member, "區委 政協 民主監督")] == [document.pk]
    assert [e.object_id for e in query.search(p.member, "协商民主")] == [document.pk]
    assert query.search(p.other_staff, "协商民主").count() == 0


def test_the_import_page_accepts_a_pdf(personas, client, login, two_page_pdf):
    login(client, personas.office_admin)
    response = client.post(reverse("library:import", args=["district"]), {
        "title": "", "kind": "speech", "source": "", "file": upload(two_page_pdf)})
    assert response.status_code == 302
    assert "加强民主监督" in Document.objects.get().text


def test_an_image_only_pdf_is_refused_as_having_no_text_layer(personas):
    scanned = pdf_bytes(f'<img src="data:image/png;base64,{PIXEL}" width="300" height="400">')
    assert "没有文字层" in refused(personas, scanned)
    assert "扫描件" in refused(personas, scanned)


def test_an_encrypted_pdf_is_refused(personas, two_page_pdf):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_pdf)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "已加密" in refused(personas, out.getvalue())


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_pdf_is_refused_with_a_clear_message(personas, two_page_pdf, cut):
    assert "已损坏或不完整" in refused(personas, two_page_pdf[: int(len(two_page_pdf) * cut)])


@pytest.mark.parametrize("data", [b"", b"not a pdf at all", b"%PDF-1.7\n%garbage\n"])
def test_a_file_that_is_not_a_readable_pdf_is_refused(personas, data):
    assert "无法读取该 PDF 文件" in refused(personas, data)


def test_the_page_shows_the_refusal_and_writes_nothing(personas, client, login):
    login(client, personas.office_admin)
    scanned = pdf_bytes(f'<img src="data:image/png;base64,{PIXEL}" width="300" height="400">')
    response = client.post(reverse("library:import", args=["district"]), {
        "title": "甲", "kind": "speech", "file": upload(scanned)})
    assert response.status_code == 422
    assert "没有文字层" in response.content.decode()
    assert not Document.objects.exists()
