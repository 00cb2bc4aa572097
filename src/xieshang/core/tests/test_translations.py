"""The English catalogue is complete: every Chinese message id in the code has an English translation."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


def _marked_strings():
    """Every literal passed to a gettext function or a translate tag in src/ and templates/."""
    found = set()
    py = re.compile(r"""\b(?:gettext_lazy|gettext|_|pgettext(?:_lazy)?)\(\s*(?:"[^"]*",\s*)?"((?:[^"\\]|\\.)*)"\s*[,)%]""")
    tag = re.compile(r"""{%\s*translate\s+"([^"]*)"|{%\s*translate\s+'([^']*)'""")
    for path in list(Path(settings.BASE_DIR, "src").rglob("*.py")):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for m in py.finditer(path.read_text(encoding="utf-8")):
            found.add(m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1))
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for m in tag.finditer(path.read_text(encoding="utf-8")):
            found.add(m.group(1) or m.group(2))
    return {s for s in found if HAN.search(s)}


def test_every_entry_of_the_english_catalogue_is_translated():
    po = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []
    leftover_chinese = [e.msgid for e in po if not e.obsolete and HAN.search(e.msgstr or "".join(e.msgstr_plural.values()))]
    assert leftover_chinese == []


def test_every_marked_string_is_in_the_catalogue():
    ids = {e.msgid for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    missing = sorted(_marked_strings() - ids)
    assert missing == [], f"run ./dev messages and translate: {missing[:20]}"


@pytest.mark.django_db
def test_english_is_served_when_chosen(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/account/login/").content.decode()
    assert 'lang="en"' in body
    assert "登录" not in body
    with translation.override("en"):
        assert translation.gettext("我的待办") != "我的待办"
