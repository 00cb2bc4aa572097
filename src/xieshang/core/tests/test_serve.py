"""``xieshang serve``: the production server (waitress + WhiteNoise) serves the static files on its first start."""

import io
import re
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


def _get(application, path):
    """One GET through the WSGI application, as waitress makes it; the test's database connection is kept open
    (the handler closes connections around each request, as Django's test client prevents too)."""
    environ = {"PATH_INFO": path, "SERVER_NAME": "testserver", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    status = []
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return status[0], body


@pytest.mark.django_db
def test_first_start_with_no_collected_static_files_serves_them(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"  # a fresh checkout: var/static does not exist yet
    with mock.patch("waitress.serve") as serve:
        call_command("serve", "--port", "8999", stdout=io.StringIO())
    application = serve.call_args.args[0]
    assert serve.call_args.kwargs["port"] == 8999
    status, body = _get(application, "/static/css/app.css")
    assert status.startswith("200"), status
    assert body == (settings.BASE_DIR / "static" / "css" / "app.css").read_bytes()
    status, _body = _get(application, "/static/css/missing.css")
    assert status.startswith("404"), status
    # Every static file a page links to (style sheet, scripts, icon) is there.
    status, page = _get(application, "/account/login/")
    assert status.startswith("200"), status
    linked = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode()))
    assert {"/static/css/app.css", "/static/img/favicon.svg", "/static/js/app.js"} <= linked
    for path in sorted(linked):
        assert _get(application, path)[0].startswith("200"), path
