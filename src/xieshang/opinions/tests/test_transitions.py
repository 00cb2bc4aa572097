"""The 社情民意 transition tables: complete, closed, named, and the only way a state changes."""

import pathlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from xieshang.core import verbs
from xieshang.core.audit import action
from xieshang.core.models import AuditEvent
from xieshang.opinions import actions
from xieshang.opinions.models import (
    BulletinIssue,
    BulletinStatus,
    CopyStatus,
    FollowUp,
    FollowUpStatus,
    Report,
    ReportCopy,
    ReportStatus,
)
from xieshang.opinions.testing import submitted_copy
from xieshang.opinions.transitions import (
    BULLETIN_MOVES,
    COPY_MOVES,
    FOLLOW_UP_MOVES,
    REPORT_MOVES,
    InvalidTransition,
    allowed,
    check,
    transition,
)

TABLES = [(Report, REPORT_MOVES, ReportStatus), (ReportCopy, COPY_MOVES, CopyStatus),
          (FollowUp, FOLLOW_UP_MOVES, FollowUpStatus), (BulletinIssue, BULLETIN_MOVES, BulletinStatus)]
SOURCE = pathlib.Path(actions.__file__).parent


@pytest.mark.parametrize(("model", "moves", "choices"), TABLES)
def test_every_state_has_a_row_and_every_verb_a_label(model, moves, choices):
    assert set(moves) == set(choices.values)
    for targets in moves.values():
        assert set(targets) <= set(choices.values)
        for verb in targets.values():
            assert verb.startswith("opinions.") and verbs.is_registered(verb), verb


def test_final_states_have_no_way_out():
    assert REPORT_MOVES[ReportStatus.WITHDRAWN] == {}
    assert COPY_MOVES[CopyStatus.ADOPTED] == {} and COPY_MOVES[CopyStatus.WITHDRAWN] == {}
    assert FOLLOW_UP_MOVES[FollowUpStatus.CLOSED] == {} and BULLETIN_MOVES[BulletinStatus.PUBLISHED] == {}


def test_the_documented_moves_are_the_table():
    assert set(COPY_MOVES[CopyStatus.PENDING]) == {CopyStatus.EDITED, CopyStatus.RETURNED, CopyStatus.KEPT}
    assert set(COPY_MOVES[CopyStatus.EDITED]) == {CopyStatus.SIGNED, CopyStatus.PENDING, CopyStatus.KEPT}
    assert set(COPY_MOVES[CopyStatus.SIGNED]) == {CopyStatus.ADOPTED, CopyStatus.KEPT}
    assert set(REPORT_MOVES[ReportStatus.SUBMITTED]) == {ReportStatus.RETURNED}


@pytest.mark.parametrize(("model", "moves", "choices"), TABLES)
def test_every_invalid_move_is_refused_with_both_states_named(model, moves, choices):
    labels = dict(choices.choices)
    pairs = [(a, b) for a in choices.values for b in choices.values if b not in moves[a]]
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
        for to_status, verb in targets.items():
            assert check(model(status=from_status), to_status) == verb


def test_a_move_saves_and_audits_and_a_refused_move_writes_nothing(chain):
    p = chain
    copy = submitted_copy(p)

    @action
    def move(obj, to_status, *, actor):
        return transition(obj, to_status, note="备注")

    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition):
        move(copy, CopyStatus.ADOPTED, actor=p.info_editor)
    assert AuditEvent.objects.count() == before
    assert ReportCopy.objects.get(pk=copy.pk).status == CopyStatus.PENDING
    move(copy, CopyStatus.KEPT, actor=p.info_editor)
    assert ReportCopy.objects.get(pk=copy.pk).status == CopyStatus.KEPT
    event = AuditEvent.objects.latest("id")
    assert (event.verb, event.changes["status"], event.note, event.actor) == (
        "opinions.copy_kept", ["pending", "kept"], "备注", p.info_editor)
    assert event.committee_id == p.district.pk


def test_actions_never_set_a_state_except_through_the_table():
    """No ``.status = `` and no ``status=`` update outside transitions.py; creations start at the first state."""
    for path in SOURCE.glob("*.py"):
        if path.name in {"transitions.py", "seed.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\.status\s*=[^=]", text), path.name
        assert not re.search(r"\.update\([^)]*status\s*=", text), path.name


def test_every_audit_verb_used_by_the_actions_has_a_label():
    text = (SOURCE / "actions.py").read_text(encoding="utf-8")
    used = set(re.findall(r'audit\.record\("(opinions\.[a-z_]+)"', text))
    assert used
    assert {verb for verb in used if not verbs.is_registered(verb)} == set()
