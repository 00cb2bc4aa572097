"""The local rules of 社情民意 work (domain.md §4, "variant"), declared in the per-committee settings registry."""

from django.utils.translation import gettext_lazy as _

from xieshang.org import settings_registry
from xieshang.org.settings_registry import define

BODY_MAX_CHARS = "opinions.body_max_chars"
ATTACHMENT_TYPES = "opinions.attachment_types"
ATTACHMENT_MAX_MB = "opinions.attachment_max_mb"
MEMBER_QUOTA = "opinions.member_quota"
INFORMANT_QUOTA = "opinions.informant_quota"
FOLLOW_UP_WORKING_DAYS = "opinions.follow_up_working_days"
BULLETIN_NAME = "opinions.bulletin_name"

define(BODY_MAX_CHARS, _("社情民意信息正文字数上限"), 1500, min_value=200, max_value=10000,
       help_text=_("情况、分析、建议三部分合计。"))
define(ATTACHMENT_TYPES, _("社情民意信息允许的附件类型（扩展名，每行一个）"),
       ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"], kind="list")
define(ATTACHMENT_MAX_MB, _("社情民意信息单个附件大小上限（MB）"), 10, min_value=1, max_value=100)
define(MEMBER_QUOTA, _("委员每年报送社情民意信息任务数（篇）"), 4, min_value=0, max_value=100)
define(INFORMANT_QUOTA, _("特邀信息员每年报送社情民意信息任务数（篇）"), 12, min_value=0, max_value=200)
define(FOLLOW_UP_WORKING_DAYS, _("领导批示后部门反馈期限（工作日）"), 15, min_value=1, max_value=120)
define(BULLETIN_NAME, _("社情民意期刊名称"), "社情民意", kind="str")


def value(committee, key):
    return settings_registry.get(committee, key)
