"""The proposal register's filters, and its export to Excel.

The filters are those of the register page (same parameter names and meaning: ``q`` searches the title,
``proposer`` a proposer's name) and are shared by the API's list endpoint and the .xlsx export, so that "what
I filtered" and "what I downloaded" are the same rows::

    params = RegisterFilters.from_mapping(request.GET)
    proposals = filter_register(Proposal.objects.visible_to(user).for_committee(committee), params)
    data = register_workbook(proposals)          # bytes of an .xlsx

The export never writes a formula: a text cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a control
character that spreadsheet programs treat the same way) is prefixed with an apostrophe, so a title such as
``=HYPERLINK(...)`` stays text when the file is opened.
"""

import io
from dataclasses import dataclass, fields

from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core.spreadsheets import safe_cell

from .models import FILED_STATES, Assignment, AssignmentStatus, Proposer, Rating, Reply, Status

# Characters that make Excel, WPS or LibreOffice read a cell as a formula (or a DDE call).
TRUE_WORDS = {"1", "true", "yes", "on", "是"}
FALSE_WORDS = {"0", "false", "no", "off", "否"}


@dataclass
class RegisterFilters:
    """The register's filters; ``None`` (or an empty ``status``) means "not filtered".

    The one definition of what each register parameter selects, used by the register page, the .xlsx export
    and the API. It accepts every parameter the statistics page links with (see ``proposals.stats``), with the
    same meaning, so that a figure's link lists exactly the proposals counted in it:

    - ``session`` (id) or ``year`` (the session's year); ``status``: one or several ``Status`` values;
    - ``category``: any text (an unknown category matches nothing), or ``"none"`` for the uncategorised ones;
      ``department``: a department with a live (not 已改办) assignment; ``sector``: the sector of the first
      proposer's member record, or ``"none"`` for proposals whose first proposer has none (collective proposals,
      or no first proposer at all);
    - ``proposer_type``: a ``Proposal.Kind``; ``outcome``: the final class of a lead assignment's latest sent
      reply on a filed proposal (with ``department``: that department's lead assignment); ``rating``: some
      proposer's latest rating (with ``department``: of a proposal the department leads);
    - ``timing``, ``key`` (true/false), ``proposer`` (a proposer's name contains), ``q`` (the title contains);
    - ``topic``: a topic (``topics.Topic`` id) the proposal is tagged with.
    """

    session: int | None = None
    year: int | None = None
    status: tuple = ()
    category: str | None = None
    department: int | None = None
    sector: int | str | None = None
    proposer_type: str | None = None
    outcome: str | None = None
    rating: str | None = None
    timing: str | None = None
    key: bool | None = None
    proposer: str | None = None
    q: str | None = None
    topic: int | None = None

    def __post_init__(self):
        # The API passes one status (or None); the page and the export a list.
        if self.status is None:
            self.status = ()
        elif isinstance(self.status, str):
            self.status = (self.status,) if self.status else ()
        else:
            self.status = tuple(s for s in self.status if s)

    @classmethod
    def from_mapping(cls, data):
        """Filters from a query dict; values that cannot be understood are ignored rather than refused."""
        out = cls()
        for name in ("session", "year", "department", "topic"):
            text = (data.get(name) or "").strip()
            if text.isascii() and text.isdigit():
                setattr(out, name, int(text))
        for name in ("category", "proposer_type", "outcome", "rating", "timing", "proposer", "q"):
            text = (data.get(name) or "").strip()
            if text:
                setattr(out, name, text)
        values = data.getlist("status") if hasattr(data, "getlist") else data.get("status") or ()
        if isinstance(values, str):
            values = [values]
        out.status = tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))
        sector = (data.get("sector") or "").strip()
        if sector.isascii() and sector.isdigit():
            out.sector = int(sector)
        elif sector.lower() == SECTOR_NONE:
            out.sector = SECTOR_NONE
        key = (data.get("key") or "").strip().lower()
        if key in TRUE_WORDS:
            out.key = True
        elif key in FALSE_WORDS:
            out.key = False
        return out

    def clear(self, name):
        """Stop filtering by ``name`` (used by the page for a value its form refused)."""
        if hasattr(self, name):
            setattr(self, name, () if name == "status" else None)

    def as_query(self):
        """The filters as query-string pairs (for links that keep the current filters); ``status`` repeats."""
        pairs = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == ():
                continue
            if f.name == "status":
                pairs.extend(("status", v) for v in value)
            else:
                pairs.append((f.name, ("1" if value else "0") if isinstance(value, bool) else str(value)))
        return pairs


SECTOR_NONE = "none"
CATEGORY_NONE = "none"  # the category value selecting proposals without a category (未分类)
LEAD_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT_LEAD)


def _latest_sent_lead_replies():
    """Each live lead assignment's latest sent reply, on filed proposals, annotated with ``final`` (its class)."""
    later = Reply.objects.filter(assignment=OuterRef("assignment"), round__gt=OuterRef("round"),
                                 status=Reply.ReviewStatus.SENT)
    return (Reply.objects.filter(status=Reply.ReviewStatus.SENT, assignment__role__in=LEAD_ROLES,
                                 assignment__proposal__status__in=FILED_STATES)
            .exclude(assignment__status=AssignmentStatus.WITHDRAWN)
            .filter(~Exists(later))
            .annotate(final=Coalesce(NullIf("reviewed_outcome", Value("")), "outcome")))


# Up to this many never-submitted withdrawn drafts are excluded by id; beyond it, by condition.
DISCARDED_BY_ID = 500


def _without_discarded_drafts(queryset):
    """``queryset`` without drafts withdrawn before submission.

    Their ids are read first (an index lookup on status; usually none or a few) and excluded by id: the plain
    ``NOT (status = withdrawn AND submitted_at IS NULL)`` made the register's count read every row instead of
    the (committee, status) index, 35–45 ms at 100,000 proposals.
    """
    discarded = list(queryset.filter(status=Status.WITHDRAWN, submitted_at__isnull=True).order_by()
                     .values_list("pk", flat=True)[:DISCARDED_BY_ID + 1])
    if len(discarded) > DISCARDED_BY_ID:
        return queryset.exclude(status=Status.WITHDRAWN, submitted_at__isnull=True)
    return queryset.exclude(pk__in=discarded) if discarded else queryset


def filter_register(queryset, filters):
    """``queryset`` narrowed by ``filters`` (a RegisterFilters). Adds no joins that could duplicate rows.

    Drafts withdrawn before they were ever submitted are never listed: like the statistics
    (``stats.Scope.proposal_q``), the register holds received proposals only. Other drafts are left to the
    caller's queryset (the page excludes them, the API shows a member their own).
    """
    if not filters.status or Status.WITHDRAWN in filters.status:
        queryset = _without_discarded_drafts(queryset)
    if filters.session is not None:
        queryset = queryset.filter(session_id=filters.session)
    if filters.year is not None:
        queryset = queryset.filter(session__year=filters.year)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.category == CATEGORY_NONE:
        queryset = queryset.filter(category="")
    elif filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.proposer_type:
        queryset = queryset.filter(kind=filters.proposer_type)
    if filters.timing:
        queryset = queryset.filter(timing=filters.timing)
    if filters.key is not None:
        queryset = queryset.filter(is_key=filters.key)
    if filters.department is not None:
        queryset = queryset.filter(pk__in=Assignment.objects.filter(department_id=filters.department).exclude(
            status=AssignmentStatus.WITHDRAWN).values("proposal_id"))
    if filters.sector is not None:
        firsts = Proposer.objects.filter(role=Proposer.Role.FIRST)
        if filters.sector == SECTOR_NONE:
            # As the statistics count it: a first proposer without a sector, or no first proposer at all.
            queryset = queryset.filter(Q(pk__in=firsts.filter(member__sector__isnull=True).values("proposal_id"))
                                       | ~Q(pk__in=firsts.values("proposal_id")))
        else:
            queryset = queryset.filter(pk__in=firsts.filter(member__sector_id=filters.sector).values("proposal_id"))
    if filters.outcome:
        replies = _latest_sent_lead_replies().filter(final=filters.outcome)
        if filters.department is not None:
            replies = replies.filter(assignment__department_id=filters.department)
        queryset = queryset.filter(pk__in=replies.values("assignment__proposal_id"))
    if filters.rating:
        later = Rating.objects.filter(proposer=OuterRef("proposer"), round__gt=OuterRef("round"))
        ratings = Rating.objects.filter(result=filters.rating).filter(~Exists(later))
        if filters.department is not None:
            # One filter() call: the lead assignment must be the department's own (a single join).
            ratings = ratings.filter(proposal__assignments__department_id=filters.department,
                                     proposal__assignments__role__in=LEAD_ROLES,
                                     proposal__assignments__status__in=[
                                         s for s in AssignmentStatus.values if s != AssignmentStatus.WITHDRAWN])
        queryset = queryset.filter(pk__in=ratings.values("proposal_id"))
    if filters.proposer:
        queryset = queryset.filter(pk__in=Proposer.objects.filter(name__icontains=filters.proposer).exclude(
            signature=Proposer.Signature.DECLINED).values("proposal_id"))
    if filters.q:
        queryset = queryset.filter(title__icontains=filters.q)
    if filters.topic is not None:
        # The topics app sits above proposals (it tags them); imported here only, never at module level.
        from xieshang.topics.models import TopicTag

        queryset = queryset.filter(pk__in=TopicTag.objects.filter(
            topic_id=filters.topic, kind=TopicTag.Kind.PROPOSAL).values("object_id"))
    return queryset


def with_register_relations(queryset):
    """Prefetch what a register row shows, so a page costs the same few queries whatever its size."""
    return queryset.select_related("session__term", "committee").prefetch_related(
        Prefetch("proposers", queryset=Proposer.objects.exclude(signature=Proposer.Signature.DECLINED)
                 .order_by("order", "id")),
        Prefetch("assignments", queryset=Assignment.objects.exclude(status=AssignmentStatus.WITHDRAWN)
                 .select_related("department").order_by("role", "id")),
        Prefetch("assignments__replies", queryset=Reply.objects.order_by("round")),
    )


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def _outcome(proposal):
    """The latest sent outcome class of each lead reply, e.g. "A" or "A/B" for a split proposal."""
    classes = []
    for assignment in proposal.assignments.all():
        if not assignment.is_lead:
            continue
        sent = [r for r in assignment.replies.all() if r.status == Reply.ReviewStatus.SENT]
        if sent:
            classes.append(sent[-1].final_outcome)
    return "/".join(classes)


def register_columns():
    """(header, function of a proposal) for each exported column, in order."""
    yes = _("是")
    return [
        (_("会次"), lambda p: str(p.session)),
        (_("流水号"), lambda p: p.serial),
        (_("案号"), lambda p: p.case_number),
        (_("案由"), lambda p: p.title),
        (_("提案者"), lambda p: "、".join(r.name for r in p.proposers.all())),
        (_("提案类型"), lambda p: p.get_kind_display()),
        (_("类别"), lambda p: p.category),
        (_("提交时段"), lambda p: p.get_timing_display() if p.timing else ""),
        (_("状态"), lambda p: p.get_status_display()),
        (_("主办单位"), lambda p: "、".join(a.department.name for a in p.assignments.all() if a.is_lead)),
        (_("会办单位"), lambda p: "、".join(a.department.name for a in p.assignments.all() if not a.is_lead)),
        (_("办理结果"), _outcome),
        (_("重点提案"), lambda p: yes if p.is_key else ""),
        (_("优秀提案"), lambda p: yes if p.is_excellent else ""),
        (_("提交时间"), lambda p: _local(p.submitted_at)),
        (_("立案时间"), lambda p: _local(p.filed_at)),
    ]


def register_workbook(queryset, *, title=None):
    """The proposals of ``queryset`` as an .xlsx workbook (bytes), header in Chinese, in case-number order."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = register_columns()
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = (title or _("提案登记簿"))[:31]
    ws.append([str(header) for header, _f in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    rows = with_register_relations(queryset).order_by("session_id", "case_number", "serial", "id")
    for proposal in rows.iterator(chunk_size=500):
        ws.append([safe_cell(func(proposal)) for _h, func in columns])
    widths = [14, 8, 8, 40, 20, 10, 10, 10, 12, 20, 20, 8, 8, 8, 17, 17]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
