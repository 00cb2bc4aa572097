"""Reading the text out of an uploaded file: .txt (UTF-8, GB18030 or Big5) and .docx.

PDF is refused with a clear message: this installation has neither ``pdftotext`` nor a PDF library, and
WeasyPrint (installed for PDF output) cannot read PDFs.
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
        raise ValidationError({"file": _("本系统暂不支持读取 PDF，请另存为 .docx 或 .txt 后上传，或直接粘贴文本。")})
    raise ValidationError({"file": _("只支持 .txt 和 .docx 文件。")})
