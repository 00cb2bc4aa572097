"""Labels for the audit verbs the organisation actions record (shown in timelines and on the audit pages)."""

from django.utils.translation import gettext_lazy as _

from xieshang.core.verbs import register_many

_ORG_NOUNS = {
    "committee": (_("新建了政协组织"), _("修改了政协组织信息")),
    "term": (_("新建了届次"), _("修改了届次信息")),
    "session": (_("新建了会次"), _("修改了会次信息")),
    "sector": (_("新建了界别"), _("修改了界别信息")),
    "special_committee": (_("新建了专委会"), _("修改了专委会信息")),
    "liaison_group": (_("新建了联络组"), _("修改了联络组信息")),
    "member": (_("新增了委员"), _("修改了委员信息")),
    "department": (_("新增了承办单位"), _("修改了承办单位信息")),
    "department_staff": (_("新增了承办单位人员"), _("修改了承办单位人员信息")),
}
register_many({
    f"org.{noun}_{event}": label
    for noun, labels in _ORG_NOUNS.items()
    for event, label in zip(("created", "updated"), labels)
})

register_many(
    {
        "org.user_created": _("创建了登录账号"),
        "org.department_staff_added": _("将账号加入承办单位"),
        "org.department_staff_removed": _("将账号移出承办单位"),
        "org.role_granted": _("授予了角色"),
        "org.role_revoked": _("撤销了角色"),
        "org.setting_changed": _("修改了本地规则设置"),
        "org.import_applied": _("完成了 Excel 导入"),
        "org.import_failed": _("Excel 导入失败"),
        "org.import_resolved": _("处理了导入失败事项"),
    }
)
