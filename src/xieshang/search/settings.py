from django.utils.translation import gettext_lazy as _

from xieshang.org.settings_registry import define

define(
    "search.similar_threshold",
    _("相似提案提示阈值（百分比）"),
    25,
    min_value=5,
    max_value=95,
    help_text=_("相似度达到该值的提案和社情民意信息才会作为并案候选显示。"),
)
