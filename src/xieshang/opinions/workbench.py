"""社情民意 to-dos for 我的待办: the editors' and signers' queues, the author's drafts and returned reports,
departments' follow-up tasks, follow-up reports to close, and members' and informants' yearly quotas.

Urgent reports are listed one by one and due today, so they head the workbench; the rest of a queue is one
counted item per committee. Each provider runs a fixed number of queries whatever the number of items.
"""

import datetime

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import workbench
from xieshang.org import roles
from xieshang.org.models import Committee, Informant, Member

from . import dates
from . import settings as local
from .models import (
    EDITABLE_REPORT_STATES,
    EDITOR_ROLES,
    SIGNER_ROLES,
    CopyStatus,
    FollowUp,
    FollowUpStatus,
    Report,
    ReportCopy,
    ReportEvent,
    ReportStatus,
)

workbench.register_kind("opinions.urgent", gettext_lazy("紧急社情民意信息"))
workbench.register_kind("opinions.to_edit", gettext_lazy("社情民意信息待核稿"))
workbench.register_kind("opinions.to_sign", gettext_lazy("社情民意信息待签发"))
workbench.register_kind("opinions.draft", gettext_lazy("我的社情民意信息草稿与退回件"))
workbench.register_kind("opinions.follow_up", gettext_lazy("领导批示待反馈"))
workbench.register_kind("opinions.follow_up_review", gettext_lazy("部门反馈待办结"))
workbench.register_kind("opinions.quota", gettext_lazy("社情民意信息年度任务"))


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _label(committee):
    return committee.short_name or committee.name


def _committees_with(user, wanted):
    """Committees where the user holds one of ``wanted`` themself (the sysadmin does not run every office)."""
    wanted = wanted - {roles.SYSADMIN}
    ids = [cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & wanted]
    return {c.pk: c for c in Committee.objects.filter(pk__in=ids)} if ids else {}


def _queue_items(committees, status, kind, title, urgent_title, page):
    today = dates.today()
    urgent = (ReportCopy.objects.filter(committee_id__in=list(committees), status=status, is_urgent=True)
              .select_related("version").order_by("received_at", "id"))
    for copy in urgent:
        committee = committees[copy.committee_id]
        yield workbench.TodoItem(kind="opinions.urgent", title=urgent_title % {"title": copy.version.title},
                                 url=_reverse("opinions:copy", committee.code, copy.pk), due=today,
                                 committee=_label(committee))
    counts = (ReportCopy.objects.filter(committee_id__in=list(committees), status=status, is_urgent=False)
              .values("committee_id").annotate(n=Count("id")).order_by())
    for row in counts:
        committee = committees[row["committee_id"]]
        yield workbench.TodoItem(kind=kind, title=title % {"n": row["n"]},
                                 url=_reverse(page, committee.code), committee=_label(committee))


@workbench.register
def editor_queue(user):
    """Copies waiting for 核稿 at the committees where the user edits, and follow-up reports to close."""
    if not user.is_authenticated:
        return
    committees = _committees_with(user, EDITOR_ROLES)
    if not committees:
        return
    yield from _queue_items(committees, CopyStatus.PENDING, "opinions.to_edit", _("%(n)d 篇社情民意信息待核稿"),
                            _("紧急信息待核稿：《%(title)s》"), "opinions:queue")
    reported = (FollowUp.objects.filter(status=FollowUpStatus.REPORTED,
                                        instruction__copy__committee_id__in=list(committees))
                .values("instruction__copy__committee_id").annotate(n=Count("id")).order_by())
    for row in reported:
        committee = committees[row["instruction__copy__committee_id"]]
        yield workbench.TodoItem(kind="opinions.follow_up_review", title=_("%(n)d 项部门反馈待办结") % {"n": row["n"]},
                                 url=_reverse("opinions:follow_ups", committee.code), committee=_label(committee))


@workbench.register
def signer_queue(user):
    if not user.is_authenticated:
        return
    committees = _committees_with(user, SIGNER_ROLES)
    if committees:
        yield from _queue_items(committees, CopyStatus.EDITED, "opinions.to_sign", _("%(n)d 篇社情民意信息待签发"),
                                _("紧急信息待签发：《%(title)s》"), "opinions:sign_queue")


@workbench.register
def drafts_and_returned(user):
    """The author's drafts and the reports returned for changes."""
    if not user.is_authenticated:
        return
    reports = (Report.objects.mine(user).filter(status__in=EDITABLE_REPORT_STATES)
               .select_related("committee").order_by("id"))
    returned = {c.report_id: c.return_reason for c in ReportCopy.objects.filter(
        report__in=reports.filter(status=ReportStatus.RETURNED), received_from=None).only("report_id", "return_reason")}
    for report in reports:
        if report.status == ReportStatus.RETURNED:
            title = _("社情民意信息退回修改：%(title)s") % {"title": report.title}
        else:
            title = _("待提交的社情民意信息草稿：%(title)s") % {"title": report.title}
        yield workbench.TodoItem(kind="opinions.draft", title=title,
                                 url=_reverse("opinions:detail", report.committee.code, report.pk),
                                 committee=_label(report.committee), detail=returned.get(report.pk, ""))


@workbench.register
def follow_ups_due(user):
    """Follow-up tasks of the user's departments, soonest due first."""
    if not user.is_authenticated:
        return
    department_ids = roles.department_ids(user)
    if not department_ids:
        return
    today = dates.today()
    tasks = (FollowUp.objects.for_department(department_ids).open()
             .select_related("report", "department__committee"))
    for task in tasks:
        committee = task.department.committee
        yield workbench.TodoItem(
            kind="opinions.follow_up",
            title=_("请反馈领导批示办理情况：《%(title)s》（%(department)s）") % {
                "title": task.report.title, "department": task.department.name},
            url=_reverse("opinions:follow_up", committee.code, task.pk), due=task.due_on,
            committee=_label(committee), overdue=task.due_on < today,
        )


@workbench.register
def yearly_quota(user):
    """A member's or informant's yearly quota while it is not met, due at the end of the year."""
    if not user.is_authenticated:
        return
    year = dates.today().year
    members = Member.objects.active().filter(user=user).select_related("committee")
    rows = [(m.committee, "member", m.pk) for m in members]
    rows += [(i.committee, "informant", i.pk) for i in Informant.objects.filter(user=user, is_active=True)
             .select_related("committee")]
    if not rows:
        return
    events = ReportEvent.objects.filter(year=year).filter(
        Q(member_id__in=[pk for _c, kind, pk in rows if kind == "member"])
        | Q(informant_id__in=[pk for _c, kind, pk in rows if kind == "informant"]))
    counted = {}
    for row in events.values("committee_id", "member_id", "informant_id").annotate(
            submitted=Count("id", filter=Q(kind=ReportEvent.Kind.SUBMITTED)),
            adopted=Count("report_id", filter=Q(kind=ReportEvent.Kind.ADOPTED), distinct=True)).order_by():
        key = ("member", row["member_id"]) if row["member_id"] else ("informant", row["informant_id"])
        counted[(row["committee_id"], *key)] = (row["submitted"], row["adopted"])
    due = datetime.date(year, 12, 31)
    for committee, kind, pk in rows:
        quota = local.value(committee.pk, local.MEMBER_QUOTA if kind == "member" else local.INFORMANT_QUOTA)
        submitted, adopted = counted.get((committee.pk, kind, pk), (0, 0))
        if not quota or submitted >= quota:
            continue
        yield workbench.TodoItem(
            kind="opinions.quota",
            title=_("%(year)d 年社情民意信息任务：已报送 %(submitted)d / %(quota)d 篇") % {
                "year": year, "submitted": submitted, "quota": quota},
            detail=_("已被采用 %(adopted)d 篇") % {"adopted": adopted},
            url=_reverse("opinions:mine", committee.code), due=due, committee=_label(committee),
        )
