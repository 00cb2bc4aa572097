"""社情民意 permissions, declared once; pages, the API and the actions check them the same way.

Objects: a Committee (to report, list queues, compile bulletins, read statistics), a Report (the author's
piece), a ReportCopy (one committee's handling of it) or a FollowUp (a department's task).

Who sees what:
- the author (``author_user``) and whoever entered the report for them (``created_by``) see the whole chain;
- a committee's office roles see the copies at their committee and every copy above it for reports that reached
  them (how far it went), never a copy below: a city editor does not see the district's editing;
- a department sees the copies sent to it and those whose instruction gave it a follow-up task;
- another committee, an informant (for anything but their own reports) and the outsider see nothing.

Who changes what: each level's information editors change only their own committee's copies, its signers sign
only there; the author changes the text only while it is a draft or returned. No level edits another's copy.
"""

import rules

from xieshang.org import roles
from xieshang.org.models import Committee
from xieshang.org.rules import declare

from .models import (
    EDITABLE_REPORT_STATES,
    EDITOR_ROLES,
    READER_ROLES,
    SIGNER_ROLES,
    FollowUp,
    Report,
    ReportCopy,
    ReportStatus,
)

REPORTER_ROLES = frozenset({roles.MEMBER, roles.INFORMANT})


def committee_id_of(obj):
    if isinstance(obj, Committee):
        return obj.pk
    if isinstance(obj, (Report, ReportCopy)):
        return obj.committee_id
    if isinstance(obj, FollowUp):
        return obj.instruction.copy.committee_id
    return getattr(obj, "committee_id", None)


def report_of(obj):
    if isinstance(obj, Report):
        return obj
    if isinstance(obj, (ReportCopy, FollowUp)):
        return obj.report
    return None


def _roles(user, obj):
    committee_id = committee_id_of(obj)
    if committee_id is None or not user.is_authenticated:
        return set()
    return roles.roles_in(user, committee_id)


def _has(wanted):
    wanted = frozenset(wanted)

    def predicate(user, obj):
        return bool(_roles(user, obj) & wanted)

    predicate.__name__ = f"has_role({','.join(sorted(wanted))})"
    return rules.predicate(predicate)


is_reader = _has(READER_ROLES)
is_editor = _has(EDITOR_ROLES)
is_signer = _has(SIGNER_ROLES)
is_reporter = _has(REPORTER_ROLES)


@rules.predicate
def is_author(user, obj):
    """The report's owner, or the person who entered it (staff on someone's behalf, a collective's contact)."""
    report = report_of(obj)
    if report is None or not user.is_authenticated:
        return False
    return user.pk in (report.author_user_id, report.created_by_id)


@rules.predicate
def is_editable(user, obj):
    report = report_of(obj)
    return report is not None and report.status in EDITABLE_REPORT_STATES


@rules.predicate
def reads_copy(user, copy):
    """An office role at the copy's committee, or at a committee below it that the report came through."""
    if not isinstance(copy, ReportCopy) or not user.is_authenticated:
        return False
    if roles.roles_in(user, copy.committee_id) & READER_ROLES:
        return True
    below = [cid for cid in roles.committee_ids(user) if roles.roles_in(user, cid) & READER_ROLES]
    if not below:
        return False
    for committee in Committee.objects.filter(
            pk__in=ReportCopy.objects.filter(report_id=copy.report_id, committee_id__in=below).values("committee_id")):
        if any(a.pk == copy.committee_id for a in committee.ancestors()):
            return True
    return False


@rules.predicate
def receives_copy(user, copy):
    """Staff of a department the copy was sent to, or that an instruction on the copy gave a task."""
    if not isinstance(copy, ReportCopy) or not user.is_authenticated:
        return False
    department_ids = roles.department_ids(user)
    if not department_ids:
        return False
    return ReportCopy.objects.for_department(department_ids).filter(pk=copy.pk).exists()


@rules.predicate
def sees_report_copy(user, report):
    """Someone who may see at least one copy of the report (office roles along the chain, recipients)."""
    if not isinstance(report, Report) or not user.is_authenticated or report.status == ReportStatus.DRAFT:
        return False
    return ReportCopy.objects.visible_to(user).filter(report_id=report.pk).exists()


@rules.predicate
def works_on_follow_up(user, follow_up):
    if not isinstance(follow_up, FollowUp) or not user.is_authenticated:
        return False
    return follow_up.department_id in roles.department_ids(user)


@rules.predicate
def reads_instruction_copy(user, follow_up):
    """Whoever reads the copy that carries the instruction: the district office sees the city's follow-ups."""
    return isinstance(follow_up, FollowUp) and reads_copy(user, follow_up.instruction.copy)


can_view_copy = is_author | reads_copy | receives_copy

declare("opinions.add_report", is_reporter | is_editor)
declare("opinions.submit_on_behalf", is_editor)
declare("opinions.view_report", is_author | sees_report_copy)
declare("opinions.change_report", is_author & is_editable)
declare("opinions.view_copy", can_view_copy)
declare("opinions.edit_copy", is_editor)
declare("opinions.sign_copy", is_signer)
declare("opinions.report_follow_up", works_on_follow_up)
declare("opinions.view_follow_up", works_on_follow_up | reads_instruction_copy | is_author)
declare("opinions.manage_bulletin", is_editor)
declare("opinions.publish_bulletin", is_signer)
declare("opinions.view_stats", is_reader)
declare("opinions.view_queue", is_reader)
