"""社情民意信息 (public-opinion reports) and everything hanging off them, across committee levels.

A :class:`Report` is the author's piece: one issue, with 情况 / 分析 / 建议. Every committee that handles it keeps
its own :class:`ReportCopy`: the originating committee's copy is made when the author submits, and forwarding up
(报送上级政协) makes a new copy at the parent committee. Each copy has its own queue, editing, sign-off,
adoption and instructions; no level changes another level's copy. The author and the originating committee see
the whole chain through ``Report.copies``.

Text is never overwritten: every submission by the author and every rewrite by an editor is a
:class:`ReportVersion`, and each copy points at the version current at its level.

State fields change only through :func:`xieshang.opinions.transitions.transition`, called from the actions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieshang.core.models import AttachmentBase
from xieshang.org import roles
from xieshang.org.models import Committee, Department, Informant, LiaisonGroup, Member, Sector, SpecialCommittee

LEVELS = Committee.Level


class ReportStatus(models.TextChoices):
    """The author's side of a report (see transitions.REPORT_MOVES)."""

    DRAFT = "draft", _("暂存")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    WITHDRAWN = "withdrawn", _("已撤回")


class CopyStatus(models.TextChoices):
    """One committee's handling of a report (see transitions.COPY_MOVES)."""

    PENDING = "pending", _("待核稿")
    RETURNED = "returned", _("已退回作者")
    EDITED = "edited", _("已核稿待签发")
    SIGNED = "signed", _("已签发")
    ADOPTED = "adopted", _("已采用")
    KEPT = "kept", _("留存")
    WITHDRAWN = "withdrawn", _("作者已撤回")


# Copies still in an editor's hands.
QUEUE_STATES = frozenset({CopyStatus.PENDING, CopyStatus.EDITED})
# Copies that may be forwarded to recipients or up to the parent committee, and compiled into a bulletin.
RELEASED_STATES = frozenset({CopyStatus.SIGNED, CopyStatus.ADOPTED})
# The author may still change the text (and attachments) in these states.
EDITABLE_REPORT_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})

# Who reads a committee's copies (and every copy above it in the chain): its office roles.
READER_ROLES = frozenset(roles.OFFICE_ROLES | {roles.SYSADMIN})
# Who checks, rewrites, returns, keeps, forwards and records adoption and instructions (核稿 and after).
EDITOR_ROLES = frozenset({roles.INFO_EDITOR, roles.OFFICE_ADMIN, roles.SYSADMIN})
# Who signs copies off (签发) and publishes bulletin issues: a designated signer only.
SIGNER_ROLES = frozenset({roles.INFO_SIGNER})


def _authored_q(user, prefix=""):
    return Q(**{f"{prefix}author_user": user}) | Q(**{f"{prefix}created_by": user})


def _reader_committees(user):
    """Ids of the committees where ``user`` holds a reader role themself (not the deployment-wide sysadmin)."""
    return [cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & READER_ROLES]


class ReportQuerySet(models.QuerySet):
    def mine(self, user):
        """Reports ``user`` owns (author) or entered (on someone's behalf)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(_authored_q(user))

    def visible_to(self, user):
        """Reports ``user`` may open: their own, and every report with a copy they may see (never a draft)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        copies = ReportCopy.objects.visible_to(user).values("report_id")
        return self.filter(_authored_q(user) | Q(pk__in=copies))


class Report(models.Model):
    """社情民意信息: one issue per piece (一事一报), written by a member, a collective body or an informant."""

    class AuthorKind(models.TextChoices):
        MEMBER = "member", _("委员")
        INFORMANT = "informant", _("特邀信息员")
        COLLECTIVE = "collective", _("集体")

    class CollectiveType(models.TextChoices):
        PARTY = "party", _("民主党派")
        ORGANISATION = "organisation", _("人民团体")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        SECTOR = "sector", _("界别")
        LIAISON_GROUP = "liaison_group", _("联络组")

    committee = models.ForeignKey(Committee, verbose_name=_("报送政协"), on_delete=models.PROTECT,
                                  related_name="opinion_reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestion = models.TextField(_("建议"), blank=True)
    is_urgent = models.BooleanField(_("紧急"), default=False)
    author_kind = models.CharField(_("报送人类型"), max_length=12, choices=AuthorKind.choices)
    member = models.ForeignKey(Member, verbose_name=_("委员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="opinion_reports")
    informant = models.ForeignKey(Informant, verbose_name=_("特邀信息员"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="reports")
    collective_type = models.CharField(_("集体类型"), max_length=20, choices=CollectiveType.choices, blank=True)
    collective_name = models.CharField(_("集体名称"), max_length=100, blank=True)
    # Denormalised at submission for statistics by sector, liaison group and special committee.
    sector = models.ForeignKey(Sector, verbose_name=_("界别"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    liaison_group = models.ForeignKey(LiaisonGroup, verbose_name=_("联络组"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    special_committee = models.ForeignKey(SpecialCommittee, verbose_name=_("专委会"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(_("报送人"), max_length=100)
    # The account that owns the report and follows it (the member's or informant's; empty for a collective
    # entered by staff). ``created_by`` differs from it when staff submit on someone's behalf.
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="opinion_reports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(_("代为报送"), default=False)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    source_proposal = models.ForeignKey("proposals.Proposal", verbose_name=_("来源提案"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="converted_reports")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "serial"], condition=models.Q(serial__isnull=False),
                                    name="uniq_opinion_serial"),
        ]
        indexes = [
            # "My reports" at one committee: each side of the author-or-creator condition has its own index.
            models.Index(fields=["author_user", "committee", "-created_at"], name="opinion_author_idx"),
            models.Index(fields=["created_by", "committee", "-created_at"], name="opinion_creator_idx"),
            models.Index(fields=["committee", "year", "status"], name="opinion_year_idx"),
        ]
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")

    def __str__(self):
        return self.title

    @property
    def audit_committee(self):
        return self.committee_id

    @property
    def number(self):
        """The report's number at its committee, e.g. ``2026-0015`` (empty before the first submission)."""
        return f"{self.year}-{self.serial:04d}" if self.serial else ""

    @property
    def body_length(self):
        return sum(len(part) for part in (self.situation, self.analysis, self.suggestion))


class ReportVersion(models.Model):
    """One text of a report: the author's at each submission, or an editor's rewrite at one level."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("作者稿")
        EDIT = "edit", _("编辑改稿")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    committee = models.ForeignKey(Committee, verbose_name=_("改稿政协"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=200)
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestion = models.TextField(_("建议"), blank=True)
    note = models.TextField(_("修改说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="uniq_opinion_version")]
        verbose_name = _("信息版本")
        verbose_name_plural = _("信息版本")

    def __str__(self):
        return f"{self.report_id} v{self.number}"

    @property
    def audit_committee(self):
        return self.committee_id or self.report.committee_id


class ReportCopyQuerySet(models.QuerySet):
    def queue(self, committee):
        """An editor's queue at ``committee``: urgent first, then oldest first."""
        return self.filter(committee=committee, status__in=QUEUE_STATES).order_by("-is_urgent", "received_at", "id")

    def to_sign(self, committee):
        """A signer's queue at ``committee``: edited copies, urgent first, then oldest first."""
        return self.filter(committee=committee, status=CopyStatus.EDITED).order_by("-is_urgent", "received_at", "id")

    def for_department(self, department_ids):
        """Copies dispatched to one of ``department_ids`` or carrying an instruction with a task for one."""
        department_ids = list(department_ids)
        dispatched = Dispatch.objects.filter(department_id__in=department_ids).values("copy_id")
        tasked = FollowUp.objects.filter(department_id__in=department_ids).values("instruction__copy_id")
        return self.filter(Q(pk__in=dispatched) | Q(pk__in=tasked))

    def visible_to(self, user):
        """The copies ``user`` may see (mirrors the rule ``opinions.view_copy``).

        The author sees the whole chain; a committee's office roles see the copies at their committee and
        every copy above it for reports that reached them, never a copy below; a department sees the copies
        sent to it or carrying its follow-up tasks; the deployment's system administrator sees everything.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_sysadmin(user):
            return self.all()
        condition = _authored_q(user, "report__")
        for committee in Committee.objects.filter(pk__in=_reader_committees(user)):
            above = [c.pk for c in committee.ancestors()]
            condition |= Q(committee_id=committee.pk)
            if above:
                reached = ReportCopy.objects.filter(committee_id=committee.pk).values("report_id")
                condition |= Q(committee_id__in=above, report_id__in=reached)
        department_ids = roles.department_ids(user)
        if department_ids:
            condition |= Q(pk__in=ReportCopy.objects.for_department(department_ids).values("pk"))
        return self.filter(condition)


class ReportCopy(models.Model):
    """One committee's copy of a report: its own queue position, editing, sign-off, adoption and forwarding."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="copies")
    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT,
                                  related_name="opinion_copies")
    level = models.CharField(_("层级"), max_length=12, choices=LEVELS.choices)
    # The copy one level down that was forwarded here; empty for the originating committee's copy.
    received_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="forwarded_to")
    version = models.ForeignKey(ReportVersion, verbose_name=_("当前版本"), on_delete=models.PROTECT,
                                related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=CopyStatus.choices, default=CopyStatus.PENDING)
    is_urgent = models.BooleanField(_("紧急"), default=False)
    received_at = models.DateTimeField(_("收到时间"))
    return_reason = models.TextField(_("退回理由"), blank=True)
    kept_reason = models.TextField(_("留存说明"), blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核稿人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    edited_at = models.DateTimeField(_("核稿时间"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    objects = ReportCopyQuerySet.as_manager()

    class Meta:
        ordering = ["report", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "committee"], name="uniq_opinion_copy")]
        indexes = [
            models.Index(fields=["committee", "status", "-is_urgent", "received_at"], name="opinion_queue_idx"),
        ]
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")

    def __str__(self):
        return f"{self.report} · {self.committee}"

    @property
    def audit_committee(self):
        return self.committee_id

    @property
    def is_origin(self):
        return self.received_from_id is None


class Dispatch(models.Model):
    """报送 / 转送: a copy sent to a recipient: leaders, a department, or the parent committee."""

    class Kind(models.TextChoices):
        COMMITTEE_LEADER = "committee_leader", _("本级政协领导")
        PARTY_LEADER = "party_leader", _("党委领导")
        GOVERNMENT_LEADER = "government_leader", _("政府领导")
        DEPARTMENT = "department", _("有关部门")
        PARENT = "parent", _("上级政协")

    copy = models.ForeignKey(ReportCopy, on_delete=models.CASCADE, related_name="dispatches")
    kind = models.CharField(_("报送对象类型"), max_length=20, choices=Kind.choices)
    recipient_name = models.CharField(_("报送对象"), max_length=100)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="opinion_dispatches")
    # For kind PARENT: the copy this dispatch made at the parent committee.
    parent_copy = models.OneToOneField(ReportCopy, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="dispatch_in")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("报送时间"))

    class Meta:
        ordering = ["copy", "id"]
        indexes = [models.Index(fields=["department", "-sent_at"], name="opinion_dispatch_dept_idx")]
        verbose_name = _("报送")
        verbose_name_plural = _("报送")

    def __str__(self):
        return f"{self.copy} → {self.recipient_name}"

    @property
    def audit_committee(self):
        return self.copy.committee_id


class Adoption(models.Model):
    """采用: a report used at one level, singly or in a comprehensive report, recorded by that level's copy.

    ``level`` is the copy's level, or a level above the deployment (for example 全国政协) recorded as
    ``external`` by the highest copy in the chain.
    """

    class Kind(models.TextChoices):
        SINGLE = "single", _("单篇采用")
        COMPREHENSIVE = "comprehensive", _("综合采用")

    copy = models.ForeignKey(ReportCopy, on_delete=models.CASCADE, related_name="adoptions")
    level = models.CharField(_("层级"), max_length=12, choices=LEVELS.choices)
    external = models.BooleanField(_("本系统外的上级政协"), default=False)
    kind = models.CharField(_("采用方式"), max_length=14, choices=Kind.choices)
    adopted_by = models.CharField(_("采用单位"), max_length=100)
    adopted_on = models.DateField(_("采用日期"))
    entry = models.ForeignKey("BulletinEntry", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="adoptions")
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["copy", "adopted_on", "id"]
        verbose_name = _("采用")
        verbose_name_plural = _("采用")

    def __str__(self):
        return f"{self.copy} · {self.get_kind_display()}"

    @property
    def audit_committee(self):
        return self.copy.committee_id


class Instruction(models.Model):
    """领导批示 on a report, recorded at the level whose copy the leader read."""

    copy = models.ForeignKey(ReportCopy, on_delete=models.CASCADE, related_name="instructions")
    level = models.CharField(_("批示层级"), max_length=12, choices=LEVELS.choices)
    external = models.BooleanField(_("本系统外的上级政协"), default=False)
    leader_name = models.CharField(_("批示领导"), max_length=40)
    leader_title = models.CharField(_("领导职务"), max_length=100, blank=True)
    text = models.TextField(_("批示内容"))
    instructed_on = models.DateField(_("批示日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["copy", "instructed_on", "id"]
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")

    def __str__(self):
        return f"{self.leader_name} · {self.instructed_on}"

    @property
    def audit_committee(self):
        return self.copy.committee_id


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待办理")
    REPORTED = "reported", _("已反馈")
    CLOSED = "closed", _("已办结")


class FollowUpQuerySet(models.QuerySet):
    def for_department(self, department_ids):
        return self.filter(department_id__in=list(department_ids))

    def open(self):
        return self.filter(status=FollowUpStatus.OPEN)


class FollowUp(models.Model):
    """跟踪问效: a department's task created by an instruction, due on the working-day calendar."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="follow_ups")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follow_ups")
    department = models.ForeignKey(Department, verbose_name=_("承办部门"), on_delete=models.PROTECT,
                                   related_name="opinion_follow_ups")
    status = models.CharField(_("状态"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    assigned_on = models.DateField(_("交办日期"))
    due_on = models.DateField(_("反馈期限"))
    response = models.TextField(_("办理情况"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    review_note = models.TextField(_("问效意见"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["department", "status", "due_on"], name="opinion_followup_dept_idx")]
        verbose_name = _("跟踪问效任务")
        verbose_name_plural = _("跟踪问效任务")

    def __str__(self):
        return f"{self.report} · {self.department}"

    @property
    def audit_committee(self):
        return self.instruction.copy.committee_id


class ReportEvent(models.Model):
    """A countable event in a report's life, kept for statistics and member duty scoring (履职积分).

    One row per submission, adoption and instruction at each level, with the author denormalised so that
    counts by member, informant, sector, liaison group or collective body need no joins.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("count", "报送")
        ADOPTED = "adopted", _("采用")
        INSTRUCTED = "instructed", _("批示")

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("层级"), max_length=12, choices=LEVELS.choices)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    copy = models.ForeignKey(ReportCopy, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    adoption = models.OneToOneField(Adoption, null=True, blank=True, on_delete=models.CASCADE, related_name="event")
    instruction = models.OneToOneField(Instruction, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="event")
    # The originating committee and the author, copied from the report.
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    occurred_on = models.DateField(_("日期"))
    author_kind = models.CharField(_("报送人类型"), max_length=12, choices=Report.AuthorKind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    informant = models.ForeignKey(Informant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    liaison_group = models.ForeignKey(LiaisonGroup, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    collective_name = models.CharField(_("集体名称"), max_length=100, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [
            # Covers the statistics' grouped count: the counts never read the table itself.
            models.Index(fields=["committee", "year", "kind", "level", "author_kind", "member", "informant", "sector",
                                 "liaison_group", "collective_name", "report"], name="opinion_event_cover_idx"),
            models.Index(fields=["member", "year"], name="opinion_event_member_idx"),
        ]
        verbose_name = _("信息事件")
        verbose_name_plural = _("信息事件")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.report_id}"

    @property
    def audit_committee(self):
        return self.committee_id


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PUBLISHED = "published", _("已印发")


class BulletinIssue(models.Model):
    """One numbered issue (期) of a committee's 社情民意 bulletin; numbered when published."""

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT,
                                  related_name="opinion_bulletins")
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=BulletinStatus.choices,
                              default=BulletinStatus.DRAFT)
    signer_name = models.CharField(_("签发人"), max_length=40, blank=True)
    published_on = models.DateField(_("印发日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee", "-year", "-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], condition=models.Q(number__isnull=False),
                                    name="uniq_bulletin_number"),
        ]
        verbose_name = _("社情民意期刊")
        verbose_name_plural = _("社情民意期刊")

    def __str__(self):
        return f"{self.year}-{self.number or '?'}"

    @property
    def audit_committee(self):
        return self.committee_id


class BulletinEntry(models.Model):
    """One article of an issue: a single report, or a comprehensive report (综合) built from several."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("单篇")
        COMPREHENSIVE = "comprehensive", _("综合")

    issue = models.ForeignKey(BulletinIssue, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices)
    # A comprehensive entry has its own title and text; a single entry prints its copy's current version.
    title = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True)
    copies = models.ManyToManyField(ReportCopy, verbose_name=_("所含信息"), related_name="bulletin_entries")

    class Meta:
        ordering = ["issue", "order", "id"]
        verbose_name = _("期刊文章")
        verbose_name_plural = _("期刊文章")

    def __str__(self):
        return self.title or str(self.pk)

    @property
    def audit_committee(self):
        return self.issue.committee_id


class Attachment(AttachmentBase):
    """A file attached to a report by its author."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="opinions/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        ordering = ["report", "id"]

    @property
    def audit_committee(self):
        return self.report.committee_id


class Counter(models.Model):
    """The last number handed out per committee, year and series (report serials, bulletin issues)."""

    class Series(models.TextChoices):
        REPORT = "report", _("信息编号")
        BULLETIN = "bulletin", _("期刊期号")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=10, choices=Series.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "year", "series"], name="uniq_opinion_counter")]


def visible_versions(copy):
    """The versions a reader of ``copy`` may compare: the author's texts and the rewrites made at this copy's
    committee or below it in the chain, up to the copy's own version (a higher level's rewrite is not shown)."""
    committees, node = [], copy
    while node is not None:
        committees.append(node.committee_id)
        node = node.received_from
    current = copy.version.number
    return (ReportVersion.objects.filter(report_id=copy.report_id, number__lte=current)
            .filter(Q(kind=ReportVersion.Kind.AUTHOR) | Q(committee_id__in=committees)).order_by("number"))
