"""Topic tags (专题标签): a committee-managed list of topics, and tags that put proposals and opinion reports
under them, counted by topic for the dashboards.

``TopicTag`` points at its object by (kind, object id) rather than by a foreign key, so that tagging changes
no other app's models: ``kind`` is ``"proposal"`` (``proposals.Proposal``) or ``"opinion"``
(``opinions.Report``). A topic belongs to one committee; a report that was forwarded up can carry the topics
of each committee that handled it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.org.models import Committee


class Topic(models.Model):
    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.CASCADE,
                                  related_name="topics")
    name = models.CharField(_("专题"), max_length=20)
    # Words whose presence in a text suggests the topic (matched after normalisation).
    keywords = models.JSONField(_("提示关键词"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("order", "id")
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="uniq_topic_name")]
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def __str__(self):
        return self.name

    @property
    def audit_committee(self):
        return self.committee_id


class TopicTag(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("提案")
        OPINION = "opinion", _("社情民意信息")

    topic = models.ForeignKey(Topic, verbose_name=_("专题"), on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("对象编号"))
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("标注人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    tagged_at = models.DateTimeField(_("标注时间"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "kind", "object_id"], name="uniq_topic_tag")]
        indexes = [models.Index(fields=["kind", "object_id"], name="topic_tag_object_idx")]
        verbose_name = _("专题标签")
        verbose_name_plural = _("专题标签")

    def __str__(self):
        return f"{self.topic} · {self.kind}:{self.object_id}"

    @property
    def audit_committee(self):
        return self.topic.committee_id
