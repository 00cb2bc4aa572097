"""The one search index (SearchEntry), the committee-managed segmentation dictionary and suggestion records.

The full-text part of the index lives beside ``SearchEntry`` and is created by migration 0002 for the
database in use: an FTS5 table kept in sync by triggers on SQLite, a generated ``tsv`` column with a GIN index
on PostgreSQL. Rows are written only by :mod:`xieshang.search.index`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone
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
        # (committee, kind, id): PostgreSQL walks one committee's entries of a kind newest first along it
        # (index._newest_by_walk); it also serves what (committee, kind) did.
        indexes = [models.Index(fields=["committee", "kind", "id"], name="search_entry_committee_kind_id"),
                   models.Index(fields=["kind", "parent_id"])]
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")

    def __str__(self):
        return f"{self.kind}:{self.object_id} {self.title}"


class TermCount(models.Model):
    """How many entries hold a word among their ``terms``: the length of that word's posting list in the
    full-text index. Kept with the entries (index.count_terms); a similar-item check probes the index with the
    words fewest entries hold, which a general-corpus IDF does not tell (a rare word may also be a common
    character pair across word boundaries)."""

    term = models.CharField(_("词语"), max_length=60, primary_key=True)
    entries = models.IntegerField(_("条目数"), default=0)

    class Meta:
        verbose_name = _("词语条目数")
        verbose_name_plural = _("词语条目数")

    def __str__(self):
        return f"{self.term}: {self.entries}"


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


@dataclass(frozen=True)
class Ratio:
    """``count`` of ``of`` and the percentage (one decimal; None when ``of`` is 0)."""

    count: int
    of: int

    @property
    def percent(self):
        return round(100 * self.count / self.of, 1) if self.of else None


@dataclass
class AccuracyFigures:
    """How department suggestions fared in a set of decisions (a year's, or all of them).

    Accepted and overridden are shares of all decisions (a decision with no suggestion is overridden);
    top-3 is a share of the decisions that had a suggestion; top-1 of those whose suggestion order was
    recorded (records written before the order was kept, ``order_unknown``, are left out of it).
    """

    year: int | None = None
    decisions: int = 0
    accepted_count: int = 0
    no_suggestion_count: int = 0
    with_suggestion: int = 0
    top1_count: int = 0
    top1_of: int = 0
    top3_count: int = 0
    order_unknown: int = 0

    def add(self, decision, order, suggested, chosen):
        """Count one decision: ``order`` the suggested ids as shown (None if not recorded), ``suggested`` and
        ``chosen`` sets of department ids."""
        self.decisions += 1
        if decision == SuggestionRecord.Decision.ACCEPTED:
            self.accepted_count += 1
        shown = suggested if order is None else order
        if not shown:
            self.no_suggestion_count += 1
            return
        self.with_suggestion += 1
        if chosen & (suggested if order is None else set(order[:3])):
            self.top3_count += 1
        if order is None:
            self.order_unknown += 1
        else:
            self.top1_of += 1
            self.top1_count += order[0] in chosen

    @property
    def accepted(self):
        return Ratio(self.accepted_count, self.decisions)

    @property
    def overridden(self):
        return Ratio(self.decisions - self.accepted_count, self.decisions)

    @property
    def no_suggestion(self):
        return Ratio(self.no_suggestion_count, self.decisions)

    @property
    def top1(self):
        return Ratio(self.top1_count, self.top1_of)

    @property
    def top3(self):
        return Ratio(self.top3_count, self.with_suggestion)


def local_year(moment):
    """The year of ``moment`` in the site's time zone (the year a decision is counted in)."""
    return timezone.localtime(moment).year


def year_range(year):
    """[1 January ``year``, 1 January ``year + 1``) in the site's time zone, for filtering ``decided_at``."""
    tz = timezone.get_current_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


class SuggestionRecordQuerySet(models.QuerySet):
    def accuracy(self):
        """(figures over all the records, {year: figures} newest year first), in one pass over the rows: three
        queries whatever the number of records, the same on every database."""
        through_suggested = SuggestionRecord.suggested.through.objects.filter(suggestionrecord__in=self.values("pk"))
        through_chosen = SuggestionRecord.chosen.through.objects.filter(suggestionrecord__in=self.values("pk"))
        suggested, chosen = {}, {}
        for record_id, dep_id in through_suggested.values_list("suggestionrecord_id", "department_id"):
            suggested.setdefault(record_id, set()).add(dep_id)
        for record_id, dep_id in through_chosen.values_list("suggestionrecord_id", "department_id"):
            chosen.setdefault(record_id, set()).add(dep_id)
        overall, years = AccuracyFigures(), {}
        for pk, decided_at, decision, order in self.order_by().values_list(
                "pk", "decided_at", "decision", "suggested_order"):
            year = local_year(decided_at)
            if year not in years:
                years[year] = AccuracyFigures(year=year)
            figures = years[year]
            for target in (overall, figures):
                target.add(decision, order, suggested.get(pk, set()), chosen.get(pk, set()))
        return overall, dict(sorted(years.items(), reverse=True))

    def in_year(self, year):
        start, end = year_range(year)
        return self.filter(decided_at__gte=start, decided_at__lt=end)


class SuggestionRecord(models.Model):
    """A department suggestion shown for a proposal and what staff did with it (accepted or overridden)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("采纳")
        OVERRIDDEN = "overridden", _("改选")

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("对象类型"), max_length=20, default="proposal")
    object_id = models.BigIntegerField(_("对象编号"))
    suggested = models.ManyToManyField(Department, verbose_name=_("建议承办单位"), related_name="+", blank=True)
    # The suggested department ids in the order shown (best first), for top-1 accuracy; the M2M loses the
    # order. None for a record written before the order was kept.
    suggested_order = models.JSONField(_("建议顺序"), null=True, blank=True, default=None)
    chosen = models.ManyToManyField(Department, verbose_name=_("选定承办单位"), related_name="+", blank=True)
    decision = models.CharField(_("处理"), max_length=12, choices=Decision.choices)
    reasons = models.JSONField(_("建议理由"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = SuggestionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("承办单位建议记录")
        verbose_name_plural = _("承办单位建议记录")

    @property
    def audit_committee(self):
        return self.committee_id

    def suggested_in_order(self):
        """The suggested departments as shown, best first (by name for a record without the order)."""
        rows = list(self.suggested.all())
        if not self.suggested_order:
            return sorted(rows, key=lambda d: d.name)
        position = {pk: i for i, pk in enumerate(self.suggested_order)}
        return sorted(rows, key=lambda d: position.get(d.pk, len(position)))
