"""The one search index (SearchEntry), the committee-managed segmentation dictionary and suggestion records.

The full-text part of the index lives beside ``SearchEntry`` and is created by migration 0002 for the
database in use: an FTS5 table kept in sync by triggers on SQLite, a generated ``tsv`` column with a GIN index
on PostgreSQL. Rows are written only by :mod:`xieshang.search.index`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.org.models import Committee, Department


class SearchEntry(models.Model):
    """One indexed item: its display title, normalised text and tokens, and the fields results are filtered by."""

    kind = models.CharField(_("类型"), max_length=20)
    object_id = models.BigIntegerField(_("对象编号"))
    parent_id = models.BigIntegerField(_("上级对象编号"), null=True, blank=True)
    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("标题"), max_length=300)
    norm_title = models.CharField(_("规范化标题"), max_length=300)
    body = models.TextField(_("规范化正文"), blank=True)
    tokens = models.TextField(_("词元"), blank=True)
    # The tokens that are words (normalize.content_words), kept for similar-item scoring without reading tokens.
    terms = models.TextField(_("词语"), blank=True, default="")
    # Length of the IDF vector of ``terms`` (similar.terms_norm); empty for an entry indexed before it existed.
    norm = models.FloatField(_("词语向量长度"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    session_id = models.BigIntegerField(_("会次"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, blank=True)
    category = models.CharField(_("类别"), max_length=40, blank=True)
    # Space-delimited department ids with a leading and trailing space, so " 12 " matches department 12 only.
    departments = models.CharField(_("承办单位"), max_length=300, blank=True)
    sector_id = models.BigIntegerField(_("界别"), null=True, blank=True)
    date = models.DateTimeField(_("日期"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("索引时间"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="uniq_search_entry")]
        indexes = [models.Index(fields=["committee", "kind"]), models.Index(fields=["kind", "parent_id"])]
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"


class DictionaryTerm(models.Model):
    """A word jieba must keep whole (a place, department or 政协 term), managed per committee in the UI.

    Segmentation is process-wide, so the tokenizer loads the union of every committee's terms; a term only
    helps cut words and never hides a match (character bigrams are indexed too).
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工添加")
        ORG = "org", _("组织数据")

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE,
                                  related_name="dictionary_terms")
    word = models.CharField(_("词语"), max_length=40)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        ordering = ["committee", "word"]
        constraints = [models.UniqueConstraint(fields=["committee", "word"], name="uniq_dictionary_term")]
        verbose_name = _("分词词典词条")
        verbose_name_plural = _("分词词典词条")

    def __str__(self):
        return self.word

    @property
    def audit_committee(self):
        return self.committee_id


class SuggestionRecord(models.Model):
    """A department suggestion shown for a proposal and what staff did with it (accepted or overridden)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("采纳")
        OVERRIDDEN = "overridden", _("改选")

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("对象类型"), max_length=20, default="proposal")
    object_id = models.BigIntegerField(_("对象编号"))
    suggested = models.ManyToManyField(Department, verbose_name=_("建议承办单位"), related_name="+", blank=True)
    chosen = models.ManyToManyField(Department, verbose_name=_("选定承办单位"), related_name="+", blank=True)
    decision = models.CharField(_("处理"), max_length=12, choices=Decision.choices)
    reasons = models.JSONField(_("建议理由"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("承办单位建议记录")
        verbose_name_plural = _("承办单位建议记录")

    @property
    def audit_committee(self):
        return self.committee_id
