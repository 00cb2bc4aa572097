"""Test helpers for 社情民意, shared by the app's tests, the pages, the API and the benchmark.

Build on :func:`xieshang.testing.make_personas` (district → city → province, roles at the district)::

    p = make_personas()
    add_chain_staff(p)                   # editors, signers, leaders and a department at the city and province
    report = make_report(p)              # a draft by the district member
    copy = submitted_copy(p)             # ... submitted: the district's PENDING origin copy
    copy = signed_copy(p)                # ... edited and signed off at the district
    city_copy = forward(p, copy)         # ... forwarded: the city's PENDING copy
    city_copy = sign(p, city_copy)       # ... edited and signed off at the city

Dates: the actions read today from :mod:`xieshang.opinions.dates`; pin it inside the loaded calendar
(``pin_today(monkeypatch, "2026-06-01")``) before anything computes a follow-up due date.
"""

import datetime

from xieshang.org.models import Department, DepartmentStaff, RoleGrant
from xieshang.testing import make_user

from . import actions, dates

BODY = {
    "title": "关于加快老旧小区加装电梯的建议",
    "situation": "本区老旧小区加装电梯进展缓慢，老年居民上下楼困难。",
    "analysis": "资金分摊难、低层住户意见难统一。",
    "suggestion": "建议设立专项补贴，建立街道协调机制。",
}


def pin_today(monkeypatch, day):
    """Make the opinions actions see ``day`` (a date or ISO string) as today."""
    day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
    monkeypatch.setattr(dates, "today", lambda: day)
    return day


def add_chain_staff(p):
    """Editors, signers and a leader at the city and the province, and a city department with a handler.

    Adds ``city_editor``, ``city_signer``, ``city_leader``, ``province_editor``, ``province_signer``,
    ``province_leader``, ``city_dept`` and ``city_dept_handler`` to ``p`` and returns it.
    """
    for level in ("city", "province"):
        committee = getattr(p, level)
        for suffix, role in (("editor", RoleGrant.Role.INFO_EDITOR), ("signer", RoleGrant.Role.INFO_SIGNER),
                             ("leader", RoleGrant.Role.COMMITTEE_LEADER)):
            name = f"{level}_{suffix}"
            if getattr(p, name, None) is None:
                user = make_user(name)
                RoleGrant.objects.create(user=user, committee=committee, role=role)
                setattr(p, name, user)
    if getattr(p, "city_dept", None) is None:
        p.city_dept = Department.objects.create(committee=p.city, name="市住房和城乡建设局", kind="government")
        p.city_dept_handler = make_user("city_dept_handler", "吴经办")
        DepartmentStaff.objects.create(department=p.city_dept, user=p.city_dept_handler, tier="handler")
    return p


def make_report(p, *, actor=None, data=None, **kwargs):
    """A draft by ``actor`` (default: the district member) at the district; ``data`` overrides the text."""
    actor = actor or p.member
    return actions.do_create_report(p.district, {**BODY, **(data or {})}, actor=actor, **kwargs)


def submitted_copy(p, *, actor=None, data=None, **kwargs):
    """A report made and submitted; returns its PENDING origin copy at the district."""
    report = make_report(p, actor=actor, data=data, **kwargs)
    actions.do_submit_report(report, actor=actor or p.member)
    return report.copies.get(received_from=None)


def _staff(p, committee, what):
    if committee.pk == p.district.pk:
        return getattr(p, f"info_{what}")
    for level in ("city", "province"):
        if committee.pk == getattr(p, level).pk:
            return getattr(p, f"{level}_{what}")
    raise ValueError(f"no {what} for {committee}")


def sign(p, copy, *, data=None):
    """Edit (optionally rewriting with ``data``) and sign off ``copy`` with its committee's editor and signer."""
    actions.do_edit_copy(copy, data=data, actor=_staff(p, copy.committee, "editor"))
    actions.do_sign_copy(copy, actor=_staff(p, copy.committee, "signer"))
    return copy


def signed_copy(p, *, actor=None, data=None, **kwargs):
    """A report submitted, edited and signed off at the district; returns the SIGNED origin copy."""
    return sign(p, submitted_copy(p, actor=actor, data=data, **kwargs))


def forward(p, copy):
    """Forward a signed copy to its parent committee (needs :func:`add_chain_staff` above the district)."""
    return actions.do_forward_to_parent(copy, actor=_staff(p, copy.committee, "editor"))


def editor_of(p, committee):
    return _staff(p, committee, "editor")


def signer_of(p, committee):
    return _staff(p, committee, "signer")


def db_state():
    """Every opinions row count and every state, plus the audit trail's length: equal before and after a
    refused action means the refusal wrote nothing."""
    from xieshang.core.models import AuditEvent

    from .models import (
        Adoption,
        Attachment,
        BulletinEntry,
        BulletinIssue,
        Counter,
        Dispatch,
        FollowUp,
        Instruction,
        Report,
        ReportCopy,
        ReportEvent,
        ReportVersion,
    )

    counts = {model.__name__: model.objects.count() for model in (
        Report, ReportVersion, ReportCopy, Dispatch, Adoption, Instruction, FollowUp, ReportEvent, BulletinIssue,
        BulletinEntry, Attachment, AuditEvent)}
    return {
        **counts,
        "reports": sorted(Report.objects.values_list("pk", "status", "serial", "title", "situation", "updated_at")),
        "copies": sorted(ReportCopy.objects.values_list("pk", "status", "version_id", "edited_by_id", "signed_by_id")),
        "follow_ups": sorted(FollowUp.objects.values_list("pk", "status", "response")),
        "issues": sorted(BulletinIssue.objects.values_list("pk", "status", "number")),
        "counters": sorted(Counter.objects.values_list("committee_id", "year", "series", "last")),
    }
