"""The proposal workflow's local rules (domain.md §3 "variant"), declared in the per-committee settings registry.

Every value here is the common default; a committee changes it in its settings page. Read values with
:func:`value` so that a missing row means the default.
"""

from django.utils.translation import gettext_lazy as _

from xieshang.org import settings_registry
from xieshang.org.settings_registry import define

CATEGORIES = "proposals.categories"
BODY_MAX_CHARS = "proposals.body_max_chars"
ATTACHMENT_TYPES = "proposals.attachment_types"
ATTACHMENT_MAX_MB = "proposals.attachment_max_mb"
COSIGN_WORKING_DAYS = "proposals.cosign_working_days"
JOINT_MIN_CONFIRMED = "proposals.joint_min_confirmed"
DECLINE_GROUNDS = "proposals.decline_grounds"
OBJECTION_WORKING_DAYS = "proposals.objection_working_days"
FIRST_CONTACT_WORKING_DAYS = "proposals.first_contact_working_days"
CO_OPINION_UNIT = "proposals.co_opinion_unit"
CO_OPINION_LENGTH = "proposals.co_opinion_length"
REPLY_MONTHS = "proposals.reply_months"
EXTENSION_MAX_MONTHS = "proposals.extension_max_months"
OUTCOME_CLASSES = "proposals.outcome_classes"
RATING_EXTRA_FIELDS = "proposals.rating_extra_fields"
REHANDLE_MONTHS = "proposals.rehandle_months"
REHANDLE_MAX_ROUNDS = "proposals.rehandle_max_rounds"
FEEDBACK_WORKING_DAYS = "proposals.feedback_working_days"

# The national list of ten grounds for not filing a proposal (全国政协, 2011) [domain.md N2].
NATIONAL_DECLINE_GROUNDS = [
    "涉及党和国家秘密的",
    "法律法规明令禁止的",
    "属于中共党员对党内人事问题的意见",
    "属于民主党派内部事务的",
    "涉及正在进行诉讼或仲裁的",
    "属于学术探讨的",
    "涉及提案者个人及亲属问题的",
    "宣传、推介具体产品或作品的",
    "指名道姓检举揭发的",
    "内容空泛、缺乏具体建议的",
]

# Outcome classes of a reply (办理结果). "abc" is the common rule, "abcd" the variant with D = 留作参考.
OUTCOME_LABELS = {
    "abc": {"A": _("已解决或采纳"), "B": _("列入计划拟解决"), "C": _("留作参考")},
    "abcd": {"A": _("已解决或采纳"), "B": _("正在解决"), "C": _("列入计划拟解决"), "D": _("留作参考")},
}

define(CATEGORIES, _("提案类别（每行一个）"), ["经济", "政治", "文化", "社会", "生态文明"], kind="list",
       help_text=_("默认为“五位一体”五类。"))
define(BODY_MAX_CHARS, _("提案正文字数上限"), 2500, min_value=200, max_value=20000)
define(ATTACHMENT_TYPES, _("允许的附件类型（扩展名，每行一个）"),
       ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png"], kind="list")
define(ATTACHMENT_MAX_MB, _("单个附件大小上限（MB）"), 10, min_value=1, max_value=100)
define(COSIGN_WORKING_DAYS, _("联名确认期限（工作日）"), 5, min_value=1, max_value=30)
define(JOINT_MIN_CONFIRMED, _("联名提案至少需要确认的联名人数"), 1, min_value=1, max_value=50)
define(DECLINE_GROUNDS, _("不予立案理由（每行一个）"), NATIONAL_DECLINE_GROUNDS, kind="list")
define(OBJECTION_WORKING_DAYS, _("承办单位提出异议期限（工作日）"), 5, min_value=1, max_value=30)
define(FIRST_CONTACT_WORKING_DAYS, _("办前沟通期限（工作日）"), 15, min_value=1, max_value=60)
define(CO_OPINION_UNIT, _("会办意见期限单位"), "months", kind="choice",
       choices=(("months", _("个月")), ("working_days", _("个工作日"))))
define(CO_OPINION_LENGTH, _("会办意见期限"), 1, min_value=1, max_value=90)
define(REPLY_MONTHS, _("答复期限（自交办起，月）"), 3, min_value=1, max_value=12)
define(EXTENSION_MAX_MONTHS, _("延期最多可延长（月）"), 3, min_value=0, max_value=12)
define(OUTCOME_CLASSES, _("办理结果分类"), "abc", kind="choice",
       choices=(("abc", _("A/B/C 三类")), ("abcd", _("A/B/C/D 四类"))))
define(RATING_EXTRA_FIELDS, _("满意度测评使用详细栏目（走访情况、办理态度等）"), False, kind="bool")
define(REHANDLE_MONTHS, _("重新办理期限（月）"), 1, min_value=1, max_value=6)
define(REHANDLE_MAX_ROUNDS, _("不满意时最多重新办理次数"), 1, min_value=0, max_value=5)
define(FEEDBACK_WORKING_DAYS, _("提案者反馈期限（工作日）"), 15, min_value=1, max_value=60)


def value(committee, key):
    """The committee's value of one of the keys above (the declared default when not set)."""
    return settings_registry.get(committee, key)


def outcome_labels(committee):
    """{class letter: label} for the committee's outcome classification."""
    return OUTCOME_LABELS.get(value(committee, OUTCOME_CLASSES), OUTCOME_LABELS["abc"])
