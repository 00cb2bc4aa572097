"""Audit verb labels of the topics app."""

from django.utils.translation import gettext_lazy as _

from xieshang.core import verbs

verbs.register_many({
    "topics.seeded": _("建立默认专题"),
    "topics.topic_created": _("新增专题"),
    "topics.topic_updated": _("修改专题"),
    "topics.tags_set": _("设置专题标签"),
})
