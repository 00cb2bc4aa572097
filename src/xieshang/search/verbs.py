from django.utils.translation import gettext_lazy as _

from xieshang.core import verbs

verbs.register_many({
    "search.term_added": _("添加分词词条"),
    "search.term_removed": _("删除分词词条"),
    "search.terms_synced": _("从组织数据更新分词词典"),
    "search.suggestion_decided": _("处理承办单位建议"),
})
