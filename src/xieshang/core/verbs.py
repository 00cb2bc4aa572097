"""Human labels for audit verbs, shown in timelines and the audit pages.

Each app registers a translated label for every verb it records, usually at import time of a module its
``AppConfig.ready`` loads::

    from django.utils.translation import gettext_lazy as _
    from xieshang.core import verbs

    verbs.register("org.member_updated", _("修改了委员信息"))

A label reads as a predicate after the actor's name ("王建国 修改了委员信息"). A verb without a label is shown
as the raw verb, so a missing registration is visible but never breaks a page.
"""

from django.utils.translation import gettext_lazy as _

_LABELS = {}


def register(verb, label):
    """Give ``verb`` the (lazily translated) ``label``. Registering a verb again replaces its label."""
    if not verb or "." not in verb:
        raise ValueError(f"audit verbs are namespaced as 'app.event', got {verb!r}")
    _LABELS[verb] = label
    return label


def register_many(labels):
    """Register each ``{verb: label}`` pair."""
    for verb, label in labels.items():
        register(verb, label)


def label(verb):
    """The translated label of ``verb`` in the active language, or the raw verb when none is registered."""
    found = _LABELS.get(verb)
    return str(found) if found is not None else verb


def is_registered(verb):
    return verb in _LABELS


def registered():
    """Every registered verb, sorted (for filters and the audit page's verb choices)."""
    return sorted(_LABELS)


# The foundation's own verbs (accounts, calendar, periodic jobs, audit export). Apps register theirs from
# their own verbs module, imported by their AppConfig.ready().
register_many(
    {
        "account.login": _("登录了系统"),
        "account.login_failed": _("登录失败"),
        "account.locked_out": _("账号因多次登录失败被锁定"),
        "account.logout": _("退出了系统"),
        "account.unlocked": _("解除了账号锁定"),
        "account.password_changed": _("修改了密码"),
        "account.preferences_updated": _("修改了个人设置"),
        "account.second_factor_enrolled": _("启用了双因素认证"),
        "account.second_factor_verified": _("通过了双因素认证"),
        "account.second_factor_failed": _("双因素认证失败"),
        "account.second_factor_reset": _("重置了双因素认证"),
        "account.backup_codes_regenerated": _("重新生成了备用验证码"),
        "core.calendar_day_set": _("设置了节假日或调休日"),
        "core.calendar_day_deleted": _("删除了节假日或调休日"),
        "core.calendar_imported": _("导入了节假日安排"),
        "core.calendar_year_loaded": _("标记节假日年份为已载入"),
        "core.calendar_year_seeded": _("载入了内置的节假日安排"),
        "core.periodic_ran": _("执行了定时任务"),
        "core.periodic_failed": _("定时任务执行失败"),
        "core.audit_exported": _("导出了审计日志"),
    }
)
