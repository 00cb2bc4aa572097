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
