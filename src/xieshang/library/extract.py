"""Reading the text out of an uploaded file: .txt (UTF-8, GB18030 or Big5), .docx and .pdf.

A PDF is read page by page with pypdf from its text layer (the ToUnicode maps of its fonts). One that has no
text to read is refused rather than imported empty: an encrypted file, a scanned one (images only: no text
layer, and this installation does no OCR), or a damaged or truncated one. Each refusal is a ValidationError on
``file`` with a message that says which case it is, raised before anything is written.
"""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "big5")


def decode_text(data):
    """Decode bytes as the first encoding that reads them without error (UTF-8 first)."""
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # Keep what can be read; the cleaning step flags the damaged stretches.
    return data.decode("utf-8", errors="replace")


def docx_text(data):
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001  (python-docx raises several unrelated types for a bad file)
        raise ValidationError({"file": _("无法读取该 Word 文件，请确认文件为 .docx 格式且未损坏。")}) from exc
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(paragraphs)


def pdf_text(data):
    """The text of a PDF, page by page (pages separated by a blank line), or ValidationError({"file": ...})."""
    from pypdf import PdfReader

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise ValidationError({"file": _("无法读取该 PDF 文件：文件不是 PDF 格式或已损坏。")})
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError({"file": _("该 PDF 文件已加密，无法读取。请解除密码保护后再上传。")})
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001  (pypdf raises many unrelated types for a damaged file)
        raise ValidationError({"file": _("无法读取该 PDF 文件：文件已损坏或不完整。")}) from exc
    if not pages:
        raise ValidationError({"file": _("无法读取该 PDF 文件：文件中没有页面。")})
    if not any(pages):
        raise ValidationError({"file": _("该 PDF 文件没有文字层（可能是扫描件），无法提取文字。请上传带文字的 PDF、.docx 或 .txt 文件，或直接粘贴正文。")})
    return "\n\n".join(pages)


def text_of_upload(uploaded):
    """The text of an uploaded file, or ValidationError({"file": ...}) for an unsupported or unreadable one."""
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_BYTES:
        raise ValidationError({"file": _("文件不能超过 10 MB。")})
    data = uploaded.read()
    if name.endswith(".txt"):
        return decode_text(data)
    if name.endswith(".docx"):
        return docx_text(data)
    if name.endswith(".pdf"):
        return pdf_text(data)
    raise ValidationError({"file": _("只支持 .txt、.docx 和 .pdf 文件。")})
