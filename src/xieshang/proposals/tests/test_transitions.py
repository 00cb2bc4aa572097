"""The transition tables: complete, closed, and the only way a state changes."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xieshang.core.audit import action
from xieshang.core.models import AuditEvent
from xieshang.proposals.models import Assignment, AssignmentStatus, Proposal, Reply, StatusChange, Status
from xieshang.proposals.transitions import (
    ASSIGNMENT_MOVES,
    PROPOSAL_MOVES,
    REPLY_MOVES,
    InvalidTransition,
    allowed,
    check,
    transition,
)

TABLES = [(Proposal, PROPOSAL_MOVES, Status), (Assignment, ASSIGNMENT_MOVES, AssignmentStatus),
          (Reply, REPLY_MOVES, Reply.ReviewStatus)]


@pytest.mark.parametrize(("model", "moves", "choices"), TABLES)
def test_every_state_has_a_row_and_every_target_is_a_state(model, moves, choices):
    assert set(moves) == set(choices.values)
    for targets in moves.values():
        assert set(targets) <= set(choices.values)
        assert all(verb.startswith("proposals.") for verb in targets.values())


def test_final_states_have_no_way_out():
    for final in (Status.DECLINED, Status.MERGED, Status.CONVERTED, Status.WITHDRAWN, Status.ARCHIVED):
        assert PROPOSAL_MOVES[final] == {}


def _invalid_pairs(moves, choices):
    return [(a, b) for a in choices.values for b in choices.values if b not in moves[a]]


@pytest.mark.parametrize(("model", "moves", "choices"), TABLES)
def test_every_invalid_move_is_refused_with_both_states_named(model, moves, choices):
    labels = dict(choices.choices)
    pairs = _invalid_pairs(moves, choices)
    assert pairs
    for from_status, to_status in pairs:
        obj = model(status=from_status)
        assert not allowed(obj, to_status)
        with translation.override("zh-hans"), pytest.raises(InvalidTransition) as exc:
            check(obj, to_status)
        assert isinstance(exc.value, ValidationError)
        message = exc.value.messages[0]
        assert str(labels[from_status]) in message and str(labels[to_status]) in message
        assert (exc.value.from_status, exc.value.to_status) == (from_status, to_status)


@pytest.mark.parametrize(("model", "moves", "choices"), TABLES)
def test_every_valid_move_is_allowed(model, moves, choices):
    for from_status, targets in moves.items():
        for to_status in targets:
            assert allowed(model(status=from_status), to_status)
            assert check(model(status=from_status), to_status) == targets[to_status]


def test_a_move_writes_a_status_change_row_and_an_audit_event(world):
    proposal = world.flow.submitted()

    @action
    def move(*, actor):
        return transition(proposal, Status.REVIEW, actor=actor, note="格式齐全")

    before = AuditEvent.objects.count()
    move(actor=world.proposal_staff)
    row = StatusChange.objects.filter(proposal=proposal).last()
    assert (row.from_status, row.to_status, row.actor, row.note) == ("submitted", "review", world.proposal_staff,
                                                                     "格式齐全")
    event = AuditEvent.objects.order_by("id").last()
    assert AuditEvent.objects.count() == before + 1
    assert event.verb == "proposals.pre_review_passed"
    assert event.changes["status"] == ["submitted", "review"]
    assert event.committee_id == world.district.pk


def test_a_refused_move_writes_nothing(world):
    proposal = world.flow.draft()

    @action
    def move(*, actor):
        return transition(proposal, Status.ARCHIVED, actor=actor)

    before = (AuditEvent.objects.count(), StatusChange.objects.count())
    with pytest.raises(InvalidTransition):
        move(actor=world.proposal_staff)
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert (AuditEvent.objects.count(), StatusChange.objects.count()) == before

