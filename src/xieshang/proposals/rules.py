"""Proposal permissions, declared once; pages, the API and the actions check them the same way.

Objects: a Committee (to draft or list), a Proposal, an Assignment (a department's share) or a Reply.
Who sees what: a member sees only their own drafts and the proposals they are proposers of; a co-signer sees
what they must confirm; a department sees only proposals assigned to it; the committee's office roles see
every non-draft of their committee; another committee and the outsider see nothing. The public sees only
``Proposal.objects.published()`` through the portal, never through these rules.
"""

import rules

from xieshang.org import roles
from xieshang.org.models import Committee
from xieshang.org.rules import declare

from .models import EDITABLE_STATES, Assignment, AssignmentStatus, Proposal, Proposer, Reply, Status

PROPOSAL_OFFICE = frozenset({roles.PROPOSAL_STAFF, roles.OFFICE_ADMIN, roles.SYSADMIN})
OFFICE_READERS = frozenset(roles.OFFICE_ROLES | {roles.SYSADMIN})


def proposal_of(obj):
    if isinstance(obj, Proposal):
        return obj
    if isinstance(obj, Assignment):
        return obj.proposal
    if isinstance(obj, Reply):
        return obj.assignment.proposal
    return None


def committee_id_of(obj):
    if isinstance(obj, Committee):
        return obj.pk
    proposal = proposal_of(obj)
    return proposal.committee_id if proposal is not None else None


def _roles(user, obj):
    committee_id = committee_id_of(obj)
    if committee_id is None or not user.is_authenticated:
        return set()
    return roles.roles_in(user, committee_id)


def _proposer_rows(user, proposal):
    """(role, signature) of each proposer row ``user`` acts for on ``proposal``.

    Read fresh each time: signatures change within one request (confirm, then view).
    """
    return list(Proposer.objects.filter(proposal=proposal, user=user).values_list("role", "signature"))


@rules.predicate
def is_proposal_office(user, obj):
    return bool(_roles(user, obj) & PROPOSAL_OFFICE)


@rules.predicate
def is_office_reader(user, obj):
    return bool(_roles(user, obj) & OFFICE_READERS)


@rules.predicate
def is_committee_member(user, obj):
    return roles.MEMBER in _roles(user, obj)


@rules.predicate
def is_author(user, obj):
    """The first proposer or, for a collective proposal, the contact person who created it."""
    proposal = proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    if proposal.created_by_id == user.pk:
        return True
    return any(role == Proposer.Role.FIRST for role, _sig in _proposer_rows(user, proposal))


@rules.predicate
def is_listed_proposer(user, obj):
    """Any proposer row of the user that is not a declined invitation (first, co-signer, joined by merging)."""
    proposal = proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    return any(sig != Proposer.Signature.DECLINED for _role, sig in _proposer_rows(user, proposal))


@rules.predicate
def is_pending_cosigner(user, obj):
    proposal = proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    return any(role == Proposer.Role.COSIGNER and sig == Proposer.Signature.PENDING
               for role, sig in _proposer_rows(user, proposal))


@rules.predicate
def is_confirmed_proposer(user, obj):
    proposal = proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    return any(sig == Proposer.Signature.CONFIRMED for _role, sig in _proposer_rows(user, proposal))


@rules.predicate
def is_draft(user, obj):
    proposal = proposal_of(obj)
    return proposal is not None and proposal.status == Status.DRAFT


@rules.predicate
def is_editable(user, obj):
    proposal = proposal_of(obj)
    return proposal is not None and proposal.status in EDITABLE_STATES


@rules.predicate
def works_on_proposal(user, obj):
    """Staff of a department holding a live assignment on the proposal."""
    proposal = proposal_of(obj)
    if proposal is None or not user.is_authenticated:
        return False
    department_ids = roles.department_ids(user)
    if not department_ids:
        return False
    return Assignment.objects.filter(proposal=proposal, department_id__in=department_ids).exclude(
        status=AssignmentStatus.WITHDRAWN
    ).exists()


def _assignment_of(obj):
    if isinstance(obj, Assignment):
        return obj
    if isinstance(obj, Reply):
        return obj.assignment
    return None


@rules.predicate
def works_on_assignment(user, obj):
    """Staff of the department the assignment (or the reply's assignment) belongs to."""
    assignment = _assignment_of(obj)
    if assignment is None or not user.is_authenticated:
        return False
    return assignment.department_id in roles.department_ids(user)


@rules.predicate
def is_lead_assignment(user, obj):
    assignment = _assignment_of(obj)
    return assignment is not None and assignment.is_lead


@rules.predicate
def is_co_assignment(user, obj):
    assignment = _assignment_of(obj)
    return assignment is not None and assignment.role == Assignment.Role.CO


@rules.predicate
def cosigns_reply(user, obj):
    """Staff of a co-handling department of the reply's proposal."""
    if not isinstance(obj, Reply) or not user.is_authenticated:
        return False
    department_ids = roles.department_ids(user)
    return Assignment.objects.filter(
        proposal_id=obj.assignment.proposal_id, role=Assignment.Role.CO, department_id__in=department_ids
    ).exclude(status=AssignmentStatus.WITHDRAWN).exists()


can_view = (
    (is_author)
    | (is_listed_proposer)
    | (~is_draft & is_office_reader)
    | (~is_draft & works_on_proposal)
)

declare("proposals.view_register", is_office_reader)
declare("proposals.add_proposal", is_committee_member | is_proposal_office)
declare("proposals.view_proposal", can_view)
declare("proposals.change_proposal", is_author & is_editable)
declare("proposals.submit_proposal", is_author & is_editable)
declare("proposals.sign_proposal", is_pending_cosigner)
declare("proposals.withdraw_proposal", is_author | is_proposal_office)
declare("proposals.review_proposal", is_proposal_office)
declare("proposals.file_proposal", is_proposal_office)
declare("proposals.assign_proposal", is_proposal_office)
declare("proposals.object_assignment", works_on_assignment)
declare("proposals.handle_assignment", works_on_assignment)
declare("proposals.reply_assignment", works_on_assignment & is_lead_assignment)
declare("proposals.send_opinion", works_on_assignment & is_co_assignment)
declare("proposals.cosign_reply", cosigns_reply)
declare("proposals.review_reply", is_proposal_office)
declare("proposals.decide_extension", is_proposal_office)
declare("proposals.rate_proposal", is_confirmed_proposer)
declare("proposals.record_rating", is_proposal_office)
declare("proposals.select_key", is_proposal_office)
declare("proposals.mark_excellent", is_proposal_office)
declare("proposals.set_public_consent", is_author | is_proposal_office)
