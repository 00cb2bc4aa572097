"""The states of reports, their per-level copies, follow-up tasks and bulletin issues, and the moves between them.

Report (the author's side, ``ReportStatus``)::

    DRAFT ──submit──▶ SUBMITTED ──editor returns──▶ RETURNED ──resubmit──▶ SUBMITTED
      └──withdraw──▶ WITHDRAWN ◀──withdraw── RETURNED

Copy (one committee's handling, ``CopyStatus``); the originating copy starts PENDING at submission, a parent's
copy when a report is forwarded up::

    PENDING ──核稿 (check or rewrite)──▶ EDITED ──签发──▶ SIGNED ──adopt──▶ ADOPTED
      │  ▲                               │                 │
      │  └────── signer sends back ──────┘                 │
      ├──return to author (origin only)──▶ RETURNED ──resubmitted──▶ PENDING
      │                                        └──author withdraws──▶ WITHDRAWN
      └──留存 (also from EDITED, SIGNED)──▶ KEPT ──reopen──▶ PENDING

Forwarding (to leaders, departments or the parent committee) and compiling into a bulletin need a SIGNED or
ADOPTED copy and do not change its state; publishing a bulletin adopts its SIGNED copies.

Follow-up task (``FollowUpStatus``): OPEN ──department reports──▶ REPORTED ──editor closes──▶ CLOSED, and
REPORTED ──editor asks for more──▶ OPEN.

Bulletin issue (``BulletinStatus``): DRAFT ──publish (numbered)──▶ PUBLISHED.
"""

from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.transitions import InvalidTransition, Table

from .models import BulletinIssue, BulletinStatus, CopyStatus, FollowUp, FollowUpStatus, Report, ReportCopy, ReportStatus

__all__ = ["InvalidTransition", "TABLES", "allowed", "check", "transition"]

S = ReportStatus
C = CopyStatus
F = FollowUpStatus

REPORT_MOVES = {
    S.DRAFT: {S.SUBMITTED: "opinions.submitted", S.WITHDRAWN: "opinions.withdrawn"},
    S.SUBMITTED: {S.RETURNED: "opinions.returned"},
    S.RETURNED: {S.SUBMITTED: "opinions.resubmitted", S.WITHDRAWN: "opinions.withdrawn"},
    S.WITHDRAWN: {},
}

COPY_MOVES = {
    C.PENDING: {C.EDITED: "opinions.copy_edited", C.RETURNED: "opinions.copy_returned", C.KEPT: "opinions.copy_kept"},
    C.RETURNED: {C.PENDING: "opinions.copy_resubmitted", C.WITHDRAWN: "opinions.copy_withdrawn"},
    C.EDITED: {C.SIGNED: "opinions.copy_signed", C.PENDING: "opinions.copy_sent_back", C.KEPT: "opinions.copy_kept"},
    C.SIGNED: {C.ADOPTED: "opinions.copy_adopted", C.KEPT: "opinions.copy_kept"},
    C.ADOPTED: {},
    C.KEPT: {C.PENDING: "opinions.copy_reopened"},
    C.WITHDRAWN: {},
}

FOLLOW_UP_MOVES = {
    F.OPEN: {F.REPORTED: "opinions.follow_up_reported"},
    F.REPORTED: {F.CLOSED: "opinions.follow_up_closed", F.OPEN: "opinions.follow_up_reopened"},
    F.CLOSED: {},
}

BULLETIN_MOVES = {
    BulletinStatus.DRAFT: {BulletinStatus.PUBLISHED: "opinions.bulletin_published"},
    BulletinStatus.PUBLISHED: {},
}

TABLES = {
    Report: Table(REPORT_MOVES, ReportStatus, lambda: _("该信息当前状态为“%(from)s”，不能转为“%(to)s”。")),
    ReportCopy: Table(COPY_MOVES, CopyStatus, lambda: _("该报送记录当前状态为“%(from)s”，不能转为“%(to)s”。")),
    FollowUp: Table(FOLLOW_UP_MOVES, FollowUpStatus, lambda: _("该跟踪问效任务当前状态为“%(from)s”，不能转为“%(to)s”。")),
    BulletinIssue: Table(BULLETIN_MOVES, BulletinStatus, lambda: _("该期刊当前状态为“%(from)s”，不能转为“%(to)s”。")),
}


def allowed(obj, to_status):
    return TABLES[type(obj)].allowed(obj, to_status)


def check(obj, to_status):
    return TABLES[type(obj)].check(obj, to_status)


def transition(obj, to_status, *, note="", fields=()):
    """Move ``obj`` to ``to_status``: check the table, save ``status`` and ``fields``, record the audit event.

    Must run inside an action. Raises :class:`InvalidTransition` before writing anything when the move is not in
    the table. ``fields`` are other attributes the caller already set and wants saved and audited with the move.
    """
    verb = check(obj, to_status)
    from_status = obj.status
    obj.status = to_status
    update_fields = ["status", *fields]
    if isinstance(obj, Report):
        update_fields.append("updated_at")
    obj.save(update_fields=update_fields)
    changes = {"status": [from_status, to_status]}
    changes.update(audit.snapshot(obj, fields))
    audit.record(verb, obj, changes=changes, note=note)
    return obj
