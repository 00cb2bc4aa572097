"""Every template and first-party static file keeps to the Content Security Policy and loads nothing from outside.

The policy is script-src 'self' and style-src 'self', so an inline script, an on*="" handler or a style=""
attribute would be silently blocked in the browser; committees run on intranets, so a CDN link would break.
These scans guard every app's templates, not only this one's. static/vendor/ holds pinned third-party files
and is left out.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
VENDOR = STATIC / "vendor"

# Template tags and comments are removed first so that {% if a > b %} cannot end a tag early.
DJANGO_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.S)
DJANGO_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?/?>", re.S)
ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*['"]?\s*(?:https?:)?//|@import\s+(?:url\()?\s*['"]?\s*(?:https?:)?//)""", re.I)
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "srcset", "poster", "data", "xlink:href", "background"}


def _files(root, suffixes):
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in suffixes and VENDOR not in path.parents:
            yield path


def html_problems(text):
    """The CSP and outside-load problems in one template's text, as human-readable strings."""
    problems = []
    text = DJANGO_COMMENT_BLOCK.sub("", text)
    text = HTML_COMMENT.sub("", text)
    text = DJANGO_TAG.sub(" ", text)
    if re.search(r"<style[\s>]", text, re.I):
        problems.append("<style> block")
    for match in TAG.finditer(text):
        name = match.group(1).lower()
        attrs = {}
        for attr in ATTRIBUTE.finditer(match.group(2) or ""):
            attrs[attr.group(1).lower()] = (attr.group(2) or "").strip("\"'")
        if name == "script" and "src" not in attrs:
            problems.append("inline <script> without src")
        for attr, value in attrs.items():
            if re.fullmatch(r"on[a-z]+", attr):
                problems.append(f"event handler attribute {attr}=")
            if attr == "style":
                problems.append("style= attribute")
            if attr in URL_ATTRIBUTES and EXTERNAL.match(value):
                problems.append(f"{attr}= to another host: {value}")
            if attr in URL_ATTRIBUTES and value.lower().startswith("javascript:"):
                problems.append(f"{attr}=javascript: URL")
    return problems


def css_problems(text):
    return ["CSS loads from another host"] if CSS_EXTERNAL.search(text) else []


# The scanner itself ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button onclick="go()">x</button>',
        '<body onload="go()">',
        '<div style="color:red">x</div>',
        '<p class="a" STYLE="x">y</p>',
        '<script src="https://cdn.example.com/x.js"></script>',
        '<link rel="stylesheet" href="//fonts.example.com/a.css">',
        '<img src="http://example.com/a.png" alt="">',
        '<a href="https://example.com/">x</a>',
        '<form action="https://example.com/post"></form>',
        "<style>p{color:red}</style>",
        '<div {% if x %}onclick="go()"{% endif %}>x</div>',
        '<a href="javascript:go()">x</a>',
    ],
)
def test_the_scanner_catches(snippet):
    assert html_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="{% static \'js/app.js\' %}" defer></script>',
        '<a href="{% url \'workbench\' %}">x</a>',
        '<img src="{{ qr }}" alt="">',
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        '<p data-onclick="x">one=two styles</p>',
        '{% if a > b %}<p class="x">y</p>{% endif %}',
        "<!-- <script>old()</script> -->",
        '<a href="/static/x.pdf">x</a>',
    ],
)
def test_the_scanner_lets_through(snippet):
    assert html_problems(snippet) == []


def test_the_css_scanner():
    assert css_problems("a { background: url(https://example.com/x.png); }")
    assert css_problems("@import url('//fonts.example.com/a.css');")
    assert css_problems('@import "https://example.com/a.css";')
    assert css_problems("a { background: url(data:image/png;base64,AAA); } b { background: url(../img/x.png); }") == []


# The real files -----------------------------------------------------------------------------------------


def test_templates_keep_to_the_content_security_policy():
    found = []
    for path in _files(TEMPLATES, {".html", ".txt", ".svg"}):
        for problem in html_problems(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}: {problem}")
    assert found == [], "\n".join(found)


def test_first_party_static_files_load_nothing_from_outside():
    found = []
    for path in _files(STATIC, {".html", ".svg"}):
        for problem in html_problems(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}: {problem}")
    for path in _files(STATIC, {".css"}):
        for problem in css_problems(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}: {problem}")
    for path in _files(STATIC, {".js"}):
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r"""["'`]((?:https?:)?//[^"'`\s]+)""", text):
            found.append(f"{path.relative_to(ROOT)}: URL to another host: {url}")
        if re.search(r"\beval\s*\(|new\s+Function\s*\(", text):
            found.append(f"{path.relative_to(ROOT)}: eval (blocked by the CSP)")
    assert found == [], "\n".join(found)


def test_vendored_assets_are_listed_with_versions():
    listing = VENDOR / "VERSIONS.txt"
    if not listing.exists():
        pytest.skip("static/vendor/VERSIONS.txt is not written yet (owned by the UI shell)")
    text = listing.read_text(encoding="utf-8")
    for child in sorted(p for p in VENDOR.iterdir() if p.is_dir()):
        assert child.name.lower() in text.lower(), f"{child.name} is not listed in static/vendor/VERSIONS.txt"
