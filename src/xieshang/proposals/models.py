"""提案 and everything hanging off it: proposers, assignments to departments, replies, ratings, oversight.

State fields are changed only by :func:`xieshang.proposals.transitions.transition`, called from the actions;
see that module for the states and the moves between them.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import AttachmentBase
from xieshang.org import roles
from xieshang.org.models import Committee, Department, Member, Session, SpecialCommittee


class Status(models.TextChoices):
    """The proposal's states (see transitions.PROPOSAL_MOVES for the moves)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待预审")
    RETURNED = "returned", _("预审退回")
    REVIEW = "review", _("待审定")
    FILED = "filed", _("已立案")
    DECLINED = "declined", _("不予立案")
    MERGED = "merged", _("已并案")
    CONVERTED = "converted", _("已转处理")
    WITHDRAWN = "withdrawn", _("已撤案")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复待评价")
    REHANDLE = "rehandle", _("重新办理")
    ARCHIVED = "archived", _("已归档")


# Filed proposals and everything after filing: the ones with a case number.
FILED_STATES = frozenset({Status.FILED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REPLIED, Status.REHANDLE,
                          Status.ARCHIVED})
# States in which the proposers may still edit the text.
EDITABLE_STATES = frozenset({Status.DRAFT, Status.RETURNED})


class ProposalQuerySet(models.QuerySet):
    def for_committee(self, committee):
        return self.filter(committee=committee)

    def filed(self):
        return self.filter(status__in=FILED_STATES)

    def published(self):
        """What the public portal may show: filed proposals whose proposers consented to publication."""
        return self.filter(status__in=FILED_STATES, public_consent=True)

    def visible_to(self, user):
        """The proposals ``user`` may see (mirrors rules ``proposals.view_proposal``).

        Drafts only to their authors; co-signers see what they are asked to confirm; departments only what is
        assigned to them; the committee's office roles every non-draft of their committee; others nothing.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_sysadmin(user):
            return self.filter(~Q(status=Status.DRAFT) | Q(created_by=user) | Q(
                pk__in=Proposer.objects.filter(user=user, role=Proposer.Role.FIRST).values("proposal_id")))
        office_committees = [cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & roles.OFFICE_ROLES]
        # Subqueries, not joins: "this user's row is not declined" must not become "no row is declined".
        condition = Q(created_by=user) | Q(pk__in=Proposer.objects.filter(user=user).exclude(
            signature=Proposer.Signature.DECLINED).values("proposal_id"))
        if office_committees:
            condition |= Q(committee_id__in=office_committees) & ~Q(status=Status.DRAFT)
        department_ids = roles.department_ids(user)
        if department_ids:
            condition |= ~Q(status=Status.DRAFT) & Q(pk__in=Assignment.objects.filter(
                department_id__in=department_ids).exclude(status=AssignmentStatus.WITHDRAWN).values("proposal_id"))
        return self.filter(condition)

    def committee_ids_visible_to(self, user):
        """The committees of the proposals :meth:`visible_to` can show ``user``, from the same conditions relaxed
        (drafts, declined signatures and withdrawn assignments included): a superset, for narrowing a search to
        them; None for the sysadmin (anywhere). Keep the two together."""
        if not user.is_authenticated or not user.is_active:
            return set()
        if roles.is_sysadmin(user):
            return None
        office = {cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & roles.OFFICE_ROLES}
        condition = Q(created_by=user) | Q(pk__in=Proposer.objects.filter(user=user).values("proposal_id"))
        department_ids = roles.department_ids(user)
        if department_ids:
            condition |= Q(pk__in=Assignment.objects.filter(department_id__in=department_ids).values("proposal_id"))
        return office | set(self.filter(condition).order_by().values_list("committee_id", flat=True).distinct())


class Proposal(models.Model):
    """提案: one matter, one proposal (一事一案)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人提案")
        JOINT = "joint", _("联名提案")
        COLLECTIVE = "collective", _("集体提案")

    class CollectiveType(models.TextChoices):
        PARTY = "party", _("民主党派")
        ORGANISATION = "organisation", _("人民团体")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        SECTOR = "sector", _("界别")
        GROUP = "group", _("委员小组")

    class Timing(models.TextChoices):
        PLENARY = "plenary", _("大会提案")
        REGULAR = "regular", _("平时提案")

    class ConvertTarget(models.TextChoices):
        OPINION = "opinion", _("转意见建议")
        SOCIAL_INFO = "social_info", _("转社情民意信息")
        LETTER = "letter", _("转委员来信")

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT)
    session = models.ForeignKey(Session, verbose_name=_("会次"), on_delete=models.PROTECT, related_name="proposals")
    serial = models.PositiveIntegerField(_("流水号"), null=True, blank=True)
    case_number = models.PositiveIntegerField(_("案号"), null=True, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    situation = models.TextField(_("情况"), blank=True)
    analysis = models.TextField(_("分析"), blank=True)
    suggestion = models.TextField(_("建议"), blank=True)
    category = models.CharField(_("类别"), max_length=40, blank=True)
    kind = models.CharField(_("提案类型"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    collective_type = models.CharField(_("集体提案单位类型"), max_length=20, choices=CollectiveType.choices, blank=True)
    collective_name = models.CharField(_("集体提案单位"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    timing = models.CharField(_("提交时段"), max_length=10, choices=Timing.choices, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    suggested_departments = models.ManyToManyField(
        Department, verbose_name=_("建议承办单位"), blank=True, related_name="suggested_proposals"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入提案"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    decline_ground = models.CharField(_("不予立案理由"), max_length=100, blank=True)
    decision_note = models.TextField(_("审查意见"), blank=True)
    convert_target = models.CharField(_("转处理方式"), max_length=12, choices=ConvertTarget.choices, blank=True)
    public_consent = models.BooleanField(_("同意公开"), null=True, blank=True)
    public_reason = models.CharField(_("不公开理由"), max_length=300, blank=True)
    is_key = models.BooleanField(_("重点提案"), default=False)
    is_excellent = models.BooleanField(_("优秀提案"), default=False)
    excellent_year = models.PositiveSmallIntegerField(_("评选年度"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL,
        related_name="created_proposals",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "case_number"], name="uniq_proposal_case_number"),
            models.UniqueConstraint(fields=["session", "serial"], name="uniq_proposal_serial"),
        ]
        indexes = [models.Index(fields=["committee", "status"]), models.Index(fields=["session", "status"]),
                   # The public portal counts and lists published proposals from this index alone (bench/).
                   models.Index(fields=["committee", "public_consent", "status"], name="proposal_published_idx"),
                   # The register leaves out drafts withdrawn before submission; this finds them without
                   # reading every withdrawn row (exports._without_discarded_drafts).
                   models.Index(fields=["committee"], condition=Q(status="withdrawn", submitted_at__isnull=True),
                                name="proposal_discarded_idx")]
        verbose_name = _("提案")
        verbose_name_plural = _("提案")

    def __str__(self):
        return self.title

    @property
    def audit_committee(self):
        return self.committee_id

    @property
    def case_label(self):
        """"第N号", or empty before filing."""
        if self.case_number is None:
            return ""
        return _("第%(n)d号") % {"n": self.case_number}

    @property
    def body_length(self):
        return len(self.situation) + len(self.analysis) + len(self.suggestion)


class Proposer(models.Model):
    """One proposer of a proposal: the first proposer (发起人), a co-signer (联名人), or one who joined by merging.

    ``user`` is the account that acts for this proposer: the member's own account, or for a collective proposal
    the contact person's. A member without an account is rated for by staff (代为录入).
    """

    class Role(models.TextChoices):
        FIRST = "first", _("第一提案人")
        COSIGNER = "cosigner", _("联名人")
        MERGED = "merged", _("并案提案人")

    class Signature(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已拒绝")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers")
    member = models.ForeignKey(Member, verbose_name=_("委员"), null=True, blank=True, on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="proposer_rows")
    name = models.CharField(_("名称"), max_length=100)
    role = models.CharField(_("身份"), max_length=10, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    signature = models.CharField(_("联名确认"), max_length=10, choices=Signature.choices, default=Signature.CONFIRMED)
    sign_due = models.DateField(_("确认期限"), null=True, blank=True)
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], condition=Q(member__isnull=False),
                                    name="uniq_proposer_member"),
        ]
        verbose_name = _("提案者")
        verbose_name_plural = _("提案者")

    def __str__(self):
        return self.name

    @property
    def audit_committee(self):
        return self.proposal.committee_id


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已交办")
    OBJECTED = "objected", _("有异议")
    HANDLING = "handling", _("办理中")
    DONE = "done", _("已办结")
    WITHDRAWN = "withdrawn", _("已改办")


ACTIVE_ASSIGNMENT_STATES = frozenset({AssignmentStatus.ASSIGNED, AssignmentStatus.OBJECTED,
                                      AssignmentStatus.HANDLING})


class AssignmentQuerySet(models.QuerySet):
    def for_department(self, department):
        return self.filter(department=department)

    def active(self):
        return self.filter(status__in=ACTIVE_ASSIGNMENT_STATES)

    def leads(self):
        return self.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT_LEAD])

    def current_due(self):
        """Annotate ``due``: the date the department must meet next (reply for a lead, opinion for a co)."""
        return self.annotate(due=Coalesce("reply_due", "opinion_due"))

    def overdue(self, today):
        """Open assignments whose reply (lead) or opinion (co) due date has passed."""
        return self.active().current_due().filter(due__lt=today)

    def due_within(self, days, today):
        """Open assignments due between ``today`` and ``today + days`` calendar days, inclusive."""
        return self.active().current_due().filter(due__gte=today, due__lte=today + datetime.timedelta(days=days))


class Assignment(models.Model):
    """交办: one department's share of a proposal, with its own state and due dates."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("会办")
        SPLIT_LEAD = "split", _("分办")

    class Extension(models.TextChoices):
        NONE = "", _("未申请")
        REQUESTED = "requested", _("已申请延期")
        APPROVED = "approved", _("延期已批准")
        REFUSED = "refused", _("延期未批准")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(Department, verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                   related_name="proposal_assignments")
    role = models.CharField(_("承办方式"), max_length=6, choices=Role.choices)
    status = models.CharField(_("状态"), max_length=10, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED, db_index=True)
    assigned_at = models.DateField(_("交办日期"))
    objection_due = models.DateField(_("异议期限"))
    objection_reason = models.TextField(_("异议理由"), blank=True)
    first_contact_due = models.DateField(_("办前沟通期限"), null=True, blank=True)
    first_contact_on = models.DateField(_("办前沟通日期"), null=True, blank=True)
    first_contact_note = models.TextField(_("沟通情况"), blank=True)
    opinion_due = models.DateField(_("会办意见期限"), null=True, blank=True)
    opinion = models.TextField(_("会办意见"), blank=True)
    opinion_sent_at = models.DateTimeField(_("会办意见送达时间"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    extension = models.CharField(_("延期"), max_length=10, choices=Extension.choices, blank=True, default="")
    extension_due = models.DateField(_("申请延至"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="replaces")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "role", "id"]
        indexes = [models.Index(fields=["department", "status"]),
                   # "Objected or extension requested" queues: with both columns indexed the OR is two lookups.
                   models.Index(fields=["extension"], name="assignment_extension_idx")]
        verbose_name = _("交办")
        verbose_name_plural = _("交办")

    def __str__(self):
        return f"{self.proposal} · {self.department} · {self.get_role_display()}"

    @property
    def audit_committee(self):
        return self.proposal.committee_id

    @property
    def is_lead(self):
        return self.role in (self.Role.LEAD, self.Role.SPLIT_LEAD)


class Reply(models.Model):
    """答复: a lead department's reply letter for one handling round, co-signed and reviewed before sending."""

    class ReviewStatus(models.TextChoices):
        COSIGNING = "cosigning", _("会签中")
        REVIEW = "review", _("待审核")
        RETURNED = "returned", _("审核退回")
        APPROVED = "approved", _("审核通过")
        SENT = "sent", _("已答复")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=1)
    reviewed_outcome = models.CharField(_("审核认定结果"), max_length=1, blank=True)
    body = models.TextField(_("答复内容"))
    signer = models.CharField(_("签发人"), max_length=40)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    status = models.CharField(_("审核状态"), max_length=10, choices=ReviewStatus.choices)
    review_note = models.TextField(_("审核意见"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    drafted_at = models.DateTimeField(_("起草时间"), auto_now=True)
    sent_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["assignment", "round"]
        constraints = [models.UniqueConstraint(fields=["assignment", "round"], name="uniq_reply_round")]
        # The workbench's queues (replies being co-signed, replies waiting for review) are a few rows of many.
        indexes = [models.Index(fields=["status"], name="reply_status_idx")]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")

    def __str__(self):
        return str(self.assignment)

    @property
    def audit_committee(self):
        return self.assignment.proposal.committee_id

    @property
    def final_outcome(self):
        return self.reviewed_outcome or self.outcome


class ReplyCosign(models.Model):
    """会签: a co-handling department's signature on the lead's reply."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="cosigns")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="cosigns")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("会签意见"), blank=True)
    signed_at = models.DateTimeField(_("会签时间"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reply", "assignment"], name="uniq_reply_cosign")]
        verbose_name = _("会签")
        verbose_name_plural = _("会签")


class Rating(models.Model):
    """满意度测评: one proposer's feedback on a handling round; the Hongkou-style fields are optional."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    class Visit(models.TextChoices):
        VISITED = "visited", _("已走访")
        NOT_NEEDED = "not_needed", _("本人不需要")
        NOT_VISITED = "not_visited", _("未走访")

    class ContactMethod(models.TextChoices):
        VISIT = "visit", _("走访")
        PHONE = "phone", _("电话")
        OTHER = "other", _("其他")
        NONE = "none", _("未联系")

    class Attitude(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        UNDERSTANDING = "understanding", _("理解")
        DISSATISFIED = "dissatisfied", _("不满意")

    class Relevance(models.TextChoices):
        RELEVANT = "relevant", _("针对")
        MOSTLY = "mostly", _("基本针对")
        NOT = "not", _("未针对")

    class Agreement(models.TextChoices):
        AGREE = "agree", _("同意")
        UNDERSTAND = "understand", _("理解")
        RESERVE = "reserve", _("保留")
        DISAGREE = "disagree", _("不同意")

    EXTRA_FIELDS = {"visit": Visit, "contact_method": ContactMethod, "attitude": Attitude, "relevance": Relevance,
                    "agreement": Agreement}

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ratings")
    proposer = models.ForeignKey(Proposer, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    result = models.CharField(_("满意度"), max_length=12, choices=Result.choices)
    visit = models.CharField(_("走访情况"), max_length=12, choices=Visit.choices, blank=True)
    contact_method = models.CharField(_("听取意见方式"), max_length=8, choices=ContactMethod.choices, blank=True)
    attitude = models.CharField(_("办理态度"), max_length=14, choices=Attitude.choices, blank=True)
    relevance = models.CharField(_("答复针对性"), max_length=8, choices=Relevance.choices, blank=True)
    agreement = models.CharField(_("对办理结果"), max_length=10, choices=Agreement.choices, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(_("工作人员代为录入"), default=False)
    rated_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "round", "id"]
        constraints = [models.UniqueConstraint(fields=["proposer", "round"], name="uniq_rating_round")]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    @property
    def audit_committee(self):
        return self.proposal.committee_id


class SupervisionTask(models.Model):
    """督办: the oversight of a key proposal by a committee leader with a special committee."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="oversight")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督办领导"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    leader_name = models.CharField(_("督办领导"), max_length=40)
    special_committee = models.ForeignKey(SpecialCommittee, verbose_name=_("牵头专委会"), null=True, blank=True,
                                          on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    report = models.TextField(_("督办报告"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")

    @property
    def audit_committee(self):
        return self.proposal.committee_id


class Attachment(AttachmentBase):
    """A file attached to a proposal; its type and size are checked against the committee's settings."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="proposals/%Y/%m/")

    class Meta(AttachmentBase.Meta):
        ordering = ["proposal", "id"]

    @property
    def audit_committee(self):
        return self.proposal.committee_id


class CaseCounter(models.Model):
    """The per-session counters behind serial numbers (at submission) and case numbers (at filing).

    Actions lock this row (``select_for_update``) and bump it inside their own transaction, so two staff filing
    at once queue on the lock, and a rolled-back filing gives its number back: no duplicates and no gaps.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="proposal_counter")
    last_serial = models.PositiveIntegerField(default=0)
    last_case_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("提案编号计数器")
        verbose_name_plural = _("提案编号计数器")


class StatusChange(models.Model):
    """One move in a proposal's, assignment's or reply's state, written only by ``transitions.transition``."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    assignment = models.ForeignKey(Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("对象"), max_length=12)
    from_status = models.CharField(_("原状态"), max_length=12)
    to_status = models.CharField(_("新状态"), max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")


class StatsSnapshot(models.Model):
    """The figures of one statistics scope, computed by ``proposals.stats`` and read by its page.

    Dashboards read aggregates (architecture.md): on a large committee the page would otherwise aggregate tens
    of thousands of rows per view. The periodic job ``proposals.refresh_stats`` recomputes the snapshots that
    were recently viewed; the page recomputes a missing or stale one itself. ``scope`` is "session:<id>",
    "year:<yyyy>" or "all"; ``data`` holds numbers and keys only (labels are translated when shown).
    """

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(_("统计范围"), max_length=20)
    data = models.JSONField(_("统计数据"))
    computed_at = models.DateTimeField(_("计算时间"))
    viewed_at = models.DateTimeField(_("最近查看"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "scope"], name="uniq_stats_snapshot")]
        verbose_name = _("提案统计快照")
        verbose_name_plural = _("提案统计快照")


class SupervisionEvent(models.Model):
    """督办活动: one visit, meeting or other activity of a key proposal's oversight, recorded by staff or the leader."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("视察调研")
        MEETING = "meeting", _("座谈协商")
        OTHER = "other", _("其他")

    task = models.ForeignKey(SupervisionTask, verbose_name=_("督办"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("活动类型"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    participants = models.TextField(_("参加人员"), blank=True)
    leaders_present = models.TextField(_("出席领导"), blank=True)
    summary = models.TextField(_("活动情况"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("督办活动")
        verbose_name_plural = _("督办活动")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"

    @property
    def audit_committee(self):
        return self.task.proposal.committee_id
