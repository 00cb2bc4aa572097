"""Small helpers for the API tests: a bearer token per persona, JSON requests."""

import json

from xieshang.api import actions


def bearer(user, name="test"):
    """Create a token for ``user`` and return the Authorization header for it."""
    _token, secret = actions.do_create_api_token(user, name, actor=user)
    return {"Authorization": f"Bearer {secret}"}


def call(client, method, path, user=None, body=None, headers=None, raw=None):
    """One API request as ``user`` (by bearer token) or with the client's session when ``user`` is None."""
    headers = dict(headers or {})
    if user is not None:
        headers.update(bearer(user))
    kwargs = {"headers": headers}
    if raw is not None:
        kwargs.update(data=raw, content_type="application/json")
    elif body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method.lower())(path, **kwargs)
