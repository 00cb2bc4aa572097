from django.utils.translation import gettext_lazy as _

from xieshang.core import verbs

verbs.register_many({
    "library.imported": _("导入文库资料"),
    "library.deleted": _("删除文库资料"),
})
