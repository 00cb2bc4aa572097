"""文库: speeches, study material and regulations, imported from files or pasted, cleaned for search."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.org.models import CommitteeOwned


class DocumentQuerySet(models.QuerySet):
    def for_committee(self, committee):
        return self.filter(committee=committee)

    def flagged(self):
        return self.exclude(flags=[])


class Document(CommitteeOwned):
    """One library document: the original as imported, and the cleaned Simplified text as segments.

    ``segments`` is a list of ``[kind, text]`` from :func:`xieshang.library.clean.clean` (text, placeholder,
    mojibake, cut); ``flags`` lists what the cleaning found, for the document page.
    """

    class Kind(models.TextChoices):
        SPEECH = "speech", _("讲话")
        STUDY = "study", _("学习资料")
        REGULATION = "regulation", _("制度规定")
        OTHER = "other", _("其他")

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    original_text = models.TextField(_("原文"))
    segments = models.JSONField(_("清理后正文"), default=list)
    flags = models.JSONField(_("清理标记"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["committee", "kind"])]
        verbose_name = _("文库资料")
        verbose_name_plural = _("文库资料")

    def __str__(self):
        return self.title

    @property
    def text(self):
        return "".join(t for _k, t in self.segments)

    def index_text(self):
        """The cleaned text without flagged (mojibake) stretches or cut markers: what search indexes."""
        return "".join(t for k, t in self.segments if k in ("text", "placeholder"))

    def flag_kinds(self):
        return [f.get("kind") for f in self.flags]
