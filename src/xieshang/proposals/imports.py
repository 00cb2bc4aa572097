"""Import of historical proposals (earlier sessions kept in spreadsheets) from Excel: all rows or none.

Contract for callers (the import page, the API or a command)::

    result = imports.import_historical(committee, fileobj, filename, actor=user)
    result.ok, result.created, result.errors   # errors: [{"row": int | None, "message": str}]

The caller need not check permissions first: the action refuses (PermissionDenied) anyone who may not file
proposals in ``committee`` (``proposals.file_proposal``). The file is read like the organisation imports
(``org.imports.read_rows``: .xlsx only, size and row limits, formulas never evaluated). Every row is checked
and every problem reported with its spreadsheet row number; if there is any, nothing is written.

Imported proposals go straight to their final state (已归档, or 不予立案 / 已并案 / 已转处理 / 已撤案), with their
case number in their session (unique, checked against the session and the file), their proposers (linked to
the committee's member of the same name when there is exactly one), and for archived ones the handling
departments and the outcome class of the reply. The session's case-number counter is moved past the highest
imported number so that later filings never collide. All of it is one action: one transaction and one audit
group, with a ``proposals.imported`` event per proposal.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, spreadsheets, verbs
from xieshang.core.audit import action
from xieshang.org.imports import Column, FileProblem, check_header, read_rows
from xieshang.org.models import Department, Member, Session

from . import settings as local
from .documents import chinese_number
from .models import Assignment, AssignmentStatus, CaseCounter, Proposal, Proposer, Reply, Status

verbs.register("proposals.imported", gettext_lazy("导入了历史提案"))

COLUMNS = [
    Column("会次", "session", True, gettext_lazy("如“十届五次”或“10-5”，须为本会已有会次")),
    Column("案号", "case_number", help=gettext_lazy("正整数；已归档的提案必填，同一会次内不能重复")),
    Column("案由", "title", True),
    Column("提案者", "proposers", True, gettext_lazy("多人用“、”分隔，第一位为第一提案人；集体提案填单位名称")),
    Column("提案类型", "kind", help=gettext_lazy("个人提案、联名提案或集体提案；空白按提案者人数判断")),
    Column("类别", "category"),
    Column("提交时段", "timing", help=gettext_lazy("大会提案或平时提案")),
    Column("状态", "status", help=gettext_lazy("已归档、不予立案、已并案、已转处理或已撤案；空白为已归档")),
    Column("主办单位", "leads", help=gettext_lazy("多个用“、”分隔，须为本会已有承办单位")),
    Column("会办单位", "co", help=gettext_lazy("多个用“、”分隔")),
    Column("办理结果", "outcome", help=gettext_lazy("答复的办理结果分类，如 A、B、C")),
    Column("立案日期", "filed_on", help=gettext_lazy("日期，如 2024-02-15")),
    Column("情况", "situation"),
    Column("分析", "analysis"),
    Column("建议", "suggestion"),
]

FINAL_STATES = {
    "已归档": Status.ARCHIVED, "不予立案": Status.DECLINED, "已并案": Status.MERGED, "已转处理": Status.CONVERTED,
    "已撤案": Status.WITHDRAWN,
}
KINDS = {"个人提案": Proposal.Kind.INDIVIDUAL, "个人": Proposal.Kind.INDIVIDUAL, "联名提案": Proposal.Kind.JOINT,
         "联名": Proposal.Kind.JOINT, "集体提案": Proposal.Kind.COLLECTIVE, "集体": Proposal.Kind.COLLECTIVE}
TIMINGS = {"大会提案": Proposal.Timing.PLENARY, "大会": Proposal.Timing.PLENARY, "平时提案": Proposal.Timing.REGULAR,
           "平时": Proposal.Timing.REGULAR}
SEPARATORS = re.compile(r"[、,，;；/]+")


@dataclass
class ImportResult:
    ok: bool = False
    created: int = 0
    errors: list = field(default_factory=list)


def _error(row, message):
    return {"row": row, "message": str(message)}


def template_workbook():
    """An .xlsx (bytes) with the header row and a second sheet explaining each column."""
    return spreadsheets.import_template(_("历史提案"), COLUMNS)


def _text(value):
    """A cell as stripped text; whole numbers without ".0", dates as ISO text. Never evaluated."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _date(text):
    text = text.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _session_keys(session):
    term, n = session.term.number, session.number
    cn_term, cn_n = chinese_number(term), chinese_number(n)
    return {str(session), f"{term}-{n}", f"{cn_term}届{cn_n}次", f"{cn_term}届{cn_n}次会议",
            f"第{cn_term}届第{cn_n}次会议", f"{term}届{n}次", f"{term}届{n}次会议"}


def _split(text):
    return [part.strip() for part in SEPARATORS.split(text) if part.strip()]


def validate(committee, header, rows):
    """([(row_number, data)], errors) for the rows of a historical-proposal sheet; every row is checked."""
    positions = check_header(header, COLUMNS)
    sessions = {}
    for session in Session.objects.filter(term__committee=committee).select_related("term"):
        for key in _session_keys(session):
            sessions[key] = session
    departments = {d.name: d for d in Department.objects.filter(committee=committee)}
    departments.update({d.short_name: d for d in list(departments.values()) if d.short_name})
    members = {}
    for member in Member.objects.filter(committee=committee).select_related("user"):
        members.setdefault(member.name, []).append(member)
    outcomes = set(local.outcome_labels(committee))
    taken = set(Proposal.objects.filter(committee=committee).exclude(case_number=None)
                .values_list("session_id", "case_number"))
    seen = {}
    parsed, errors = [], []
    for number, values in rows:
        cells = {c.field: (_text(values[positions[c.header]]) if c.header in positions
                           and positions[c.header] < len(values) else "") for c in COLUMNS}
        problems = []
        for c in COLUMNS:
            if c.required and not cells[c.field]:
                problems.append(_("“%(col)s”不能为空。") % {"col": c.header})
        session = sessions.get(cells["session"]) if cells["session"] else None
        if cells["session"] and session is None:
            problems.append(_("会次“%(v)s”在本会不存在。") % {"v": cells["session"]})
        status = FINAL_STATES.get(cells["status"] or "已归档")
        if status is None:
            problems.append(_("状态“%(v)s”无效，应为已归档、不予立案、已并案、已转处理或已撤案。") % {"v": cells["status"]})
        case_number = None
        if cells["case_number"]:
            digits = cells["case_number"].lstrip("第").rstrip("号")
            if not digits.isdigit() or int(digits) == 0:
                problems.append(_("案号“%(v)s”无效，应为正整数。") % {"v": cells["case_number"]})
            else:
                case_number = int(digits)
        elif status == Status.ARCHIVED:
            problems.append(_("已归档的提案必须填写案号。"))
        if case_number is not None and status not in (Status.ARCHIVED, None):
            # Only filed proposals carry a case number; declined, merged, converted and withdrawn ones have none.
            problems.append(_("只有已归档（已立案）的提案有案号，状态为“%(v)s”的提案请留空案号。") % {"v": cells["status"]})
        if case_number is not None and session is not None:
            key = (session.pk, case_number)
            if key in taken:
                problems.append(_("%(session)s已有第%(n)d号提案。") % {"session": session, "n": case_number})
            elif key in seen:
                problems.append(_("案号与第 %(row)d 行重复。") % {"row": seen[key]})
            else:
                seen[key] = number
        kind = KINDS.get(cells["kind"]) if cells["kind"] else None
        if cells["kind"] and kind is None:
            problems.append(_("提案类型“%(v)s”无效，应为个人提案、联名提案或集体提案。") % {"v": cells["kind"]})
        names = _split(cells["proposers"])
        if kind is None:
            kind = Proposal.Kind.JOINT if len(names) > 1 else Proposal.Kind.INDIVIDUAL
        if kind == Proposal.Kind.COLLECTIVE:
            names = [cells["proposers"]] if cells["proposers"] else []
        timing = TIMINGS.get(cells["timing"]) if cells["timing"] else ""
        if cells["timing"] and timing is None:
            problems.append(_("提交时段“%(v)s”无效，应为大会提案或平时提案。") % {"v": cells["timing"]})
        leads, co = [], []
        for column, target in (("leads", leads), ("co", co)):
            for name in _split(cells[column]):
                department = departments.get(name)
                if department is None:
                    problems.append(_("承办单位“%(v)s”在本会不存在。") % {"v": name})
                else:
                    target.append(department)
        if (leads or co) and status != Status.ARCHIVED:
            problems.append(_("只有已归档的提案可以填写承办单位。"))
        if co and not leads:
            problems.append(_("填写会办单位时须同时填写主办单位。"))
        outcome = cells["outcome"].upper()
        if outcome and outcome not in outcomes:
            problems.append(_("办理结果“%(v)s”无效，应为 %(classes)s。") % {"v": cells["outcome"],
                                                                       "classes": "/".join(sorted(outcomes))})
        if outcome and not leads:
            problems.append(_("填写办理结果时须同时填写主办单位。"))
        filed_on = None
        if cells["filed_on"]:
            filed_on = _date(cells["filed_on"])
            if filed_on is None:
                problems.append(_("立案日期“%(v)s”无效，应为如 2024-02-15 的日期。") % {"v": cells["filed_on"]})
        for name, limit in (("title", 200), ("category", 40)):
            if len(cells[name]) > limit:
                problems.append(_("“%(col)s”过长，最多 %(n)d 个字符。") % {
                    "col": next(c.header for c in COLUMNS if c.field == name), "n": limit})
        errors.extend(_error(number, m) for m in problems)
        if problems:
            continue
        parsed.append((number, {
            "session": session, "case_number": case_number, "title": cells["title"], "kind": kind,
            "collective_name": names[0] if kind == Proposal.Kind.COLLECTIVE and names else "",
            "proposers": [(name, members.get(name, [])) for name in names], "category": cells["category"],
            "timing": timing or "", "status": status, "leads": leads, "co": co, "outcome": outcome,
            "filed_on": filed_on, "situation": cells["situation"], "analysis": cells["analysis"],
            "suggestion": cells["suggestion"],
        }))
    return parsed, errors


@action
def do_import_historical(committee, parsed, filename, *, actor):
    """Write the validated rows (from :func:`validate`) as final-state proposals; one action group."""
    if actor is not None and not actor.has_perm("proposals.file_proposal", committee):
        raise PermissionDenied(_("您无权执行此操作。"))
    created = []
    highest = {}
    for number, data in parsed:
        session = data["session"]
        filed_at = None
        if data["filed_on"]:
            filed_at = timezone.make_aware(datetime.datetime.combine(data["filed_on"], datetime.time(9, 0)))
        proposal = Proposal.objects.create(
            committee=committee, session=session, case_number=data["case_number"], title=data["title"],
            situation=data["situation"], analysis=data["analysis"], suggestion=data["suggestion"],
            category=data["category"], kind=data["kind"], collective_name=data["collective_name"],
            collective_type=Proposal.CollectiveType.ORGANISATION if data["kind"] == Proposal.Kind.COLLECTIVE else "",
            timing=data["timing"], status=data["status"], filed_at=filed_at,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for order, (name, matches) in enumerate(data["proposers"]):
            member = matches[0] if len(matches) == 1 else None
            Proposer.objects.create(
                proposal=proposal, member=member, user=member.user if member else None, name=name,
                role=Proposer.Role.FIRST if order == 0 else Proposer.Role.COSIGNER, order=order,
                signature=Proposer.Signature.CONFIRMED)
        day = data["filed_on"] or session.plenary_end
        for role, departments in ((Assignment.Role.LEAD if len(data["leads"]) == 1 else Assignment.Role.SPLIT_LEAD,
                                   data["leads"]), (Assignment.Role.CO, data["co"])):
            for department in departments:
                assignment = Assignment.objects.create(
                    proposal=proposal, department=department, role=role, status=AssignmentStatus.DONE,
                    assigned_at=day, objection_due=day)
                if data["outcome"] and role != Assignment.Role.CO:
                    Reply.objects.create(assignment=assignment, round=1, outcome=data["outcome"],
                                         reviewed_outcome=data["outcome"], body=_("（历史提案导入，答复原文未录入）"),
                                         signer="", status=Reply.ReviewStatus.SENT, sent_at=filed_at)
        if data["case_number"]:
            highest[session.pk] = max(highest.get(session.pk, 0), data["case_number"])
        audit.record("proposals.imported", proposal, changes={
            "row": number, "file": filename, "status": data["status"], "case_number": data["case_number"],
            "session": session, "proposers": [name for name, _m in data["proposers"]]})
        created.append(proposal)
    for session_id, number in highest.items():
        CaseCounter.objects.get_or_create(session_id=session_id)
        counter = CaseCounter.objects.select_for_update().get(session_id=session_id)
        if counter.last_case_number < number:
            counter.last_case_number = number
            counter.save(update_fields=["last_case_number"])
    return created


def import_historical(committee, fileobj, filename, *, actor):
    """Read, validate and apply a historical-proposal import; see the module docstring."""
    filename = (filename or "").rsplit("/", 1)[-1] or _("（未命名）")
    if actor is not None and not actor.has_perm("proposals.file_proposal", committee):
        raise PermissionDenied(_("您无权执行此操作。"))
    try:
        header, rows = read_rows(fileobj)
        parsed, errors = validate(committee, header, rows)
        if not rows and not errors:
            errors = [_error(None, _("文件只有列名，没有数据行。"))]
    except FileProblem as exc:
        return ImportResult(errors=[_error(None, exc)])
    if errors:
        return ImportResult(errors=errors)
    try:
        created = do_import_historical(committee, parsed, filename, actor=actor)
    except (ValidationError, IntegrityError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [
            _("导入时与现有数据冲突（可能有人同时导入或立案），未写入任何数据，请重试。")]
        return ImportResult(errors=[_error(None, m) for m in messages])
    return ImportResult(ok=True, created=len(created))
