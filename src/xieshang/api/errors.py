"""One JSON shape for every refusal: ``{"detail": message}``, plus ``"errors": {field: [messages]}`` for 422.

Django's ValidationError (raised by the actions) and ninja's schema errors both become 422; PermissionDenied
becomes 403; a missing or invisible object 404; a date beyond the loaded holiday calendar 409.
"""

import json

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser

from xieshang.core.calendar import BeyondCalendar


class InvalidBody(ValueError):
    """The request body is not JSON; reported as 422 like any other bad input."""


class JsonParser(Parser):
    def parse_body(self, request):
        try:
            return json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidBody(str(exc)) from exc


def _field_name(loc):
    """``("body", "payload", "sector")`` → ``"sector"``; query and path parameters keep their own name."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path", "form", "file"):
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _schema_message(error):
    kind = error.get("type", "")
    if kind == "missing":
        return _("必填。")
    if kind == "extra_forbidden":
        return _("未知字段。")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("须为整数。")
    if kind in ("bool_parsing", "bool_type"):
        return _("须为 true 或 false。")
    if kind in ("string_type",):
        return _("须为字符串。")
    if kind.startswith("date"):
        return _("日期格式须为 YYYY-MM-DD。")
    if kind == "string_too_long":
        return _("内容过长。")
    if kind == "literal_error" or kind == "enum":
        return _("取值不在允许范围内。")
    if kind == "model_attributes_type" or kind == "dict_type":
        return _("请求内容须为 JSON 对象。")
    return error.get("msg", _("取值无效。"))


def _response(api, request, status, detail, errors=None):
    body = {"detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def install(api):
    """Register the handlers on ``api``."""

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request, exc):
        errors = {}
        for error in exc.errors:
            errors.setdefault(_field_name(error.get("loc", ())), []).append(str(_schema_message(error)))
        return _response(api, request, 422, _("输入有误，请检查各字段。"), errors)

    @api.exception_handler(DjangoValidationError)
    def action_invalid(request, exc):
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return _response(api, request, 422, _("输入有误，请检查各字段。"), errors)

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return _response(api, request, 403, str(exc) or _("无权执行此操作。"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return _response(api, request, 404, _("未找到。"))

    @api.exception_handler(BeyondCalendar)
    def beyond_calendar(request, exc):
        return _response(
            api, request, 409,
            _("%(year)s 年的节假日安排尚未载入，无法计算工作日。") % {"year": exc.year},
            {"year": [str(exc.year)]},
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc.__cause__, InvalidBody):
            return _response(api, request, 422, _("请求内容不是有效的 JSON。"), {"__all__": [_("请求内容不是有效的 JSON。")]})
        if isinstance(exc, AuthenticationError):
            message = exc.message if exc.message != "Unauthorized" else _("请先登录，或提供有效的 API 令牌。")
            response = _response(api, request, 401, message)
            response["WWW-Authenticate"] = 'Bearer realm="xieshang"'
            return response
        return _response(api, request, exc.status_code, exc.message)
