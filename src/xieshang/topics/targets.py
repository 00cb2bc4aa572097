"""What can be tagged: proposals (``proposal``) and opinion reports (``opinion``), behind one small interface.

For each kind: find the object a user may see in a committee (404 otherwise, never a hint that it exists),
say whether the user may change its tags (the owning app's rules), give the text that topic suggestions
read, and the page the object lives on for that committee (where a user who saved tags without JavaScript
returns).

- Proposals: visible as ``Proposal.objects.visible_to``; tagged by those who review proposals
  (``proposals.review_proposal``: the committee's proposal office).
- Reports: visible as ``Report.objects.visible_to`` and only at a committee holding a copy of the report;
  tagged by those who may edit that committee's copy (``opinions.edit_copy`` once the opinions app declares it;
  until then the copy's committee's editor roles, ``opinions.models.EDITOR_ROLES``). Its page is the committee's
  copy (``opinions:copy``): each level works on its own copy, and the report's own page under another level's
  code is not found.
"""

from collections.abc import Callable
from dataclasses import dataclass

import rules as rules_lib
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from xieshang.org import roles


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------------------------------------------- proposals

def _proposal_get(user, committee, object_id):
    from xieshang.proposals.models import Proposal

    return Proposal.objects.visible_to(user).filter(committee=committee, pk=object_id).first()


def _proposal_may_tag(user, committee, proposal):
    return proposal.committee_id == committee.pk and user.has_perm("proposals.review_proposal", proposal)


def _proposal_text(proposal):
    return "\n".join(part for part in (proposal.title, proposal.situation, proposal.analysis,
                                       proposal.suggestion) if part)


# --------------------------------------------------------------------------------------------------- reports

def _report_copy(committee, report):
    from xieshang.opinions.models import ReportCopy

    return ReportCopy.objects.filter(report=report, committee=committee).first()


def _report_get(user, committee, object_id):
    from xieshang.opinions.models import Report

    report = Report.objects.visible_to(user).filter(pk=object_id).first()
    if report is None or _report_copy(committee, report) is None:
        return None
    return report


def _report_may_tag(user, committee, report):
    from xieshang.opinions.models import EDITOR_ROLES

    copy = _report_copy(committee, report)
    if copy is None or not user.is_authenticated:
        return False
    if rules_lib.perm_exists("opinions.edit_copy"):
        return user.has_perm("opinions.edit_copy", copy)
    return bool(roles.roles_in(user, committee) & EDITOR_ROLES)


def _report_url(committee, report):
    copy = _report_copy(committee, report)
    return _url("opinions:copy", committee.code, copy.pk) if copy is not None else ""


def _report_text(report):
    return "\n".join(part for part in (report.title, report.situation, report.analysis, report.suggestion) if part)


# ------------------------------------------------------------------------------------------------- interface

@dataclass(frozen=True)
class Target:
    kind: str
    get: Callable
    may_tag: Callable
    text: Callable
    url: Callable


TARGETS = {
    "proposal": Target("proposal", _proposal_get, _proposal_may_tag, _proposal_text,
                       lambda committee, obj: _url("proposals:detail", committee.code, obj.pk)),
    "opinion": Target("opinion", _report_get, _report_may_tag, _report_text, _report_url),
}


def target(kind):
    """The Target of ``kind``; Http404 for an unknown kind."""
    found = TARGETS.get(kind)
    if found is None:
        raise Http404
    return found


def visible_object(user, committee, kind, object_id):
    """The object ``kind``/``object_id`` of ``committee`` if ``user`` may see it; Http404 otherwise."""
    obj = target(kind).get(user, committee, object_id)
    if obj is None:
        raise Http404
    return obj


def may_tag(user, committee, kind, obj):
    """Whether ``user`` may change the tags ``committee`` put on ``obj`` (None, the system, always may)."""
    if user is None:
        return True
    return bool(target(kind).may_tag(user, committee, obj))
