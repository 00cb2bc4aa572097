import pytest

from xieshang.core.models import AuditEvent
from xieshang.org import actions


@pytest.mark.django_db
def test_one_action_writes_one_group_with_old_and_new_values(personas):
    sector = personas.sector
    before = AuditEvent.objects.count()
    actions.do_update_sector(sector, {"name": "经济界别", "order": 3}, actor=personas.office_admin)
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert len(rows) == 1
    assert rows[0].verb == "org.sector_updated"
    assert rows[0].changes == {"name": ["经济界", "经济界别"], "order": [1, 3]}
    assert rows[0].actor == personas.office_admin
    assert rows[0].committee_id == personas.district.pk


@pytest.mark.django_db
def test_nested_actions_share_one_group(personas):
    term = actions.do_create_term(personas.district, {"number": 15, "start_date": "2022-01-01"}, actor=personas.office_admin)
    second = actions.do_create_term(personas.district, {"number": 16, "start_date": "2027-01-01"}, actor=personas.office_admin)
    actions.do_set_current_term(term, actor=personas.office_admin)
    before = AuditEvent.objects.count()
    actions.do_set_current_term(second, actor=personas.office_admin)
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert len(rows) == 2
    assert len({r.group_id for r in rows}) == 1


@pytest.mark.django_db
def test_a_failed_action_writes_nothing(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(Exception):
        actions.do_create_sector(personas.district, {"name": "经济界"}, actor=personas.office_admin)  # duplicate
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_an_action_without_an_actor_is_recorded_as_the_system(personas):
    actions.do_update_sector(personas.sector, {"order": 4}, actor=None)
    row = AuditEvent.objects.get(verb="org.sector_updated")
    assert row.actor is None and row.actor_repr == "" and row.via == "system"


@pytest.mark.django_db
def test_the_actor_is_kept_by_name_and_login(personas):
    actions.do_update_sector(personas.sector, {"order": 4}, actor=personas.member)
    assert AuditEvent.objects.get(verb="org.sector_updated").actor_repr == "王建国（member）"


@pytest.mark.django_db
def test_separate_actions_get_separate_groups(personas):
    actions.do_update_sector(personas.sector, {"order": 4}, actor=personas.office_admin)
    actions.do_update_sector(personas.sector, {"order": 5}, actor=personas.office_admin)
    assert AuditEvent.objects.values("group_id").distinct().count() == 2


@pytest.mark.django_db
def test_a_nested_failure_rolls_back_the_whole_user_action(personas):
    from xieshang.core import audit

    @audit.action
    def outer(*, actor):
        actions.do_update_sector(personas.sector, {"order": 9}, actor=actor)
        actions.do_create_sector(personas.district, {"name": "经济界"}, actor=actor)  # duplicate: fails

    with pytest.raises(Exception):
        outer(actor=personas.office_admin)
    assert not AuditEvent.objects.exists()
    personas.sector.refresh_from_db()
    assert personas.sector.order == 1


def test_recording_outside_an_action_is_refused():
    from xieshang.core import audit

    with pytest.raises(RuntimeError):
        audit.record("lab.loose")


@pytest.mark.django_db
def test_changes_of_any_common_type_are_stored_as_json(personas):
    import datetime
    import decimal

    from django.utils.translation import gettext_lazy

    from xieshang.core import audit

    @audit.action
    def odd_values(*, actor):
        return audit.record(
            "lab.values",
            personas.sector,
            changes={
                "when": [datetime.time(9, 30), datetime.date(2026, 10, 10)],
                "long": [datetime.timedelta(hours=1), decimal.Decimal("1.50")],
                "label": [None, gettext_lazy("委员")],
                "who": [None, personas.member],
            },
        )

    row = odd_values(actor=None)
    row.refresh_from_db()
    assert row.changes == {
        "when": ["09:30:00", "2026-10-10"],
        "long": [3600.0, "1.50"],
        "label": [None, "委员"],
        "who": [None, {"id": personas.member.pk, "repr": "member"}],
    }
