"""An object's timeline, built from the audit trail, with labels from the verb registry."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xieshang.core import audit, timeline, verbs
from xieshang.core.models import AuditEvent
from xieshang.org import actions


@pytest.fixture
def sector_history(personas):
    p = personas
    actions.do_update_sector(p.sector, {"name": "经济界别"}, actor=p.office_admin)
    actions.do_update_sector(p.sector, {"order": 5}, actor=p.sysadmin)
    # Another object's row must not appear.
    actions.do_create_sector(p.district, {"name": "科技界"}, actor=p.office_admin)
    return p


@pytest.mark.django_db
def test_for_object_returns_its_rows_newest_first_with_labels(sector_history):
    rows = timeline.for_object(sector_history.sector)
    assert [r.changes for r in rows] == [{"order": [1, 5]}, {"name": ["经济界", "经济界别"]}]
    assert [r.verb_label for r in rows] == ["修改了界别信息", "修改了界别信息"]
    assert rows[1].change_list == [{"field": "name", "old": "经济界", "new": "经济界别", "pair": True}]


@pytest.mark.django_db
def test_for_object_reads_in_one_query(sector_history, django_assert_num_queries):
    with django_assert_num_queries(1):
        timeline.for_object(sector_history.sector)


@pytest.mark.django_db
def test_an_unknown_verb_falls_back_to_the_raw_verb(personas):
    @audit.action
    def odd(sector, *, actor):
        audit.record("lab.something_new", sector)

    odd(personas.sector, actor=None)
    [row] = timeline.for_object(personas.sector)
    assert row.verb_label == "lab.something_new"
    assert row.actor_repr == ""  # the system


@pytest.mark.django_db
def test_visible_verbs_keeps_exact_verbs_and_prefixes(personas):
    @audit.action
    def two(sector, *, actor):
        audit.record("lab.public_step", sector)
        audit.record("lab.internal_note", sector)
        audit.record("other.step", sector)

    two(personas.sector, actor=personas.office_admin)
    assert [r.verb for r in timeline.for_object(personas.sector, visible_verbs=["lab.public_step"])] == [
        "lab.public_step"
    ]
    assert {r.verb for r in timeline.for_object(personas.sector, visible_verbs=["lab."])} == {
        "lab.public_step", "lab.internal_note"
    }
    assert timeline.for_object(personas.sector, visible_verbs=[]) == []


@pytest.mark.django_db
def test_a_predicate_sees_the_viewer(sector_history):
    def only_own(event, user):
        return event.actor_id == user.pk

    rows = timeline.for_object(sector_history.sector, sector_history.sysadmin, predicate=only_own)
    assert [r.changes for r in rows] == [{"order": [1, 5]}]


def test_labels_are_translated_lazily_and_registration_is_checked():
    verbs.register("lab.translated", _("修改了委员信息"))
    with translation.override("zh-hans"):
        assert verbs.label("lab.translated") == "修改了委员信息"
    assert verbs.is_registered("lab.translated")
    with pytest.raises(ValueError):
        verbs.register("noprefix", "x")


def test_the_foundations_verbs_are_registered():
    for verb in [
        "org.member_updated", "org.member_created", "org.department_created", "org.role_granted",
        "org.import_failed", "org.import_applied", "org.setting_changed", "account.login", "account.logout",
        "core.calendar_day_set", "core.periodic_ran",
    ]:
        assert verbs.is_registered(verb), verb
    assert verbs.label("org.member_updated") == "修改了委员信息"


@pytest.mark.django_db
def test_the_timeline_template_shows_labels_actor_and_changes(sector_history):
    html = render_to_string("includes/timeline.html", {"timeline": timeline.for_object(sector_history.sector)})
    assert "修改了界别信息" in html
    assert "经济界 → 经济界别" in html
    assert "系统管理员（sysadmin）" in html


@pytest.mark.django_db
def test_non_pair_changes_render_as_they_are(personas):
    @audit.action
    def login_like(user, *, actor):
        audit.record("account.login", user, changes={"username": user.username})

    login_like(personas.member, actor=personas.member)
    rows = timeline.for_object(personas.member)
    html = render_to_string("includes/timeline.html", {"timeline": rows})
    assert "登录了系统" in html
    assert "<code>username</code>: member" in html
    assert AuditEvent.objects.for_object(personas.member).count() == 1


def test_a_related_object_shows_as_its_text_not_as_its_record():
    from xieshang.core.timeline import change_list

    rows = change_list({"sector": [None, {"id": 3, "repr": "经济界"}], "name": ["甲", "乙"]})
    assert rows[0] == {"field": "sector", "old": None, "new": "经济界", "pair": True}
    assert rows[1]["old"] == "甲" and rows[1]["new"] == "乙"
