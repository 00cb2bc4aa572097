"""Creating and revoking API tokens: actions, so each is one transaction with its audit row."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.audit import action

from .models import TOKEN_PREFIX, ApiToken, hash_secret

MAX_ACTIVE_TOKENS = 20


def _new_secret():
    """A fresh (prefix, token) pair. The prefix is part of the token and is unique among stored tokens."""
    while True:
        prefix = TOKEN_PREFIX + secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


@action
def do_create_api_token(user, name, *, expires_at=None, actor):
    """Create a token for ``user``. Returns ``(token_row, secret)``; the secret is not stored anywhere.

    Raises ValidationError for an empty or over-long name, an expiry in the past, or too many active tokens;
    PermissionDenied when ``actor`` is someone other than ``user``.
    """
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己创建令牌。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称。")})
    if len(name) > 60:
        raise ValidationError({"name": _("令牌名称不能超过 60 个字符。")})
    if expires_at is not None:
        if isinstance(expires_at, datetime.date) and not isinstance(expires_at, datetime.datetime):
            raise ValidationError({"expires_at": _("有效期须为日期时间。")})
        if expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("有效期须晚于当前时间。")})
    if ApiToken.objects.filter(user=user).usable().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(_("有效令牌已达 %(n)s 个，请先撤销不用的令牌。") % {"n": MAX_ACTIVE_TOKENS})
    prefix, secret = _new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=hash_secret(secret), expires_at=expires_at
    )
    audit.record(
        "api.token_created",
        token,
        changes={"name": [None, name], "prefix": [None, prefix], "expires_at": [None, expires_at]},
    )
    return token, secret


@action
def do_revoke_api_token(token, *, actor):
    """Revoke ``token`` for good. Only its owner may; revoking twice changes nothing."""
    if actor is not None and actor.pk != token.user_id:
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("api.token_revoked", token, changes={"revoked_at": [None, token.revoked_at]})
    return token
