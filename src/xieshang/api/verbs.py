"""Labels for the audit verbs the API's token actions record."""

from django.utils.translation import gettext_lazy as _

from xieshang.core.verbs import register_many

register_many(
    {
        "api.token_created": _("创建了接口令牌"),
        "api.token_revoked": _("撤销了接口令牌"),
    }
)
