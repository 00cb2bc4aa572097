"""The actions the organisation pages added: each is one user action, validated before anything is written."""

import pytest
from django.core.exceptions import ValidationError

from xieshang.core.models import AuditEvent
from xieshang.org import actions, roles, settings_registry
from xieshang.org.models import CommitteeSetting, LiaisonGroup, Member, Sector, SpecialCommittee, Term


@pytest.mark.parametrize(
    "field, make",
    [
        ("sector", lambda other: Sector.objects.create(committee=other, name="农业界")),
        ("special_committee", lambda other: SpecialCommittee.objects.create(committee=other, name="经济委员会")),
        ("liaison_group", lambda other: LiaisonGroup.objects.create(committee=other, name="联络组")),
        ("term", lambda other: Term.objects.create(committee=other, number=15, start_date="2022-01-01")),
    ],
)
def test_it_refuses_a_member_that_points_into_another_committee(personas, field, make):
    foreign = make(personas.other)
    with pytest.raises(ValidationError) as info:
        actions.do_create_member(personas.district, {"name": "张伟", field: foreign}, actor=personas.office_admin)
    assert field in info.value.error_dict
    assert not Member.objects.filter(name="张伟").exists()


def test_it_refuses_a_second_account_for_a_linked_member(personas):
    with pytest.raises(ValidationError):
        actions.do_create_member_account(personas.member_row, "another", actor=personas.office_admin)
    assert not AuditEvent.objects.filter(verb="org.user_created").exists()


def test_changing_several_settings_is_all_or_nothing(personas):
    with pytest.raises(ValidationError):
        actions.do_change_settings(
            personas.district,
            {"notifications.escalate_after_days": 5, "notifications.reminder_days": "not a number"},
            actor=personas.office_admin,
        )
    assert not CommitteeSetting.objects.exists()
    actions.do_change_settings(personas.district, {"notifications.escalate_after_days": 5}, actor=personas.office_admin)
    assert settings_registry.get(personas.district, "notifications.escalate_after_days") == 5


def test_a_new_staff_account_and_its_post_are_one_user_action(personas):
    post = actions.do_add_department_staff_account(personas.dept_b, "newbie", "handler", full_name="新人",
                                                   actor=personas.proposal_staff)
    assert post.user.username == "newbie" and post.department == personas.dept_b
    events = AuditEvent.objects.filter(verb__in=["org.user_created", "org.department_staff_added"])
    assert events.count() == 2 and len({e.group_id for e in events}) == 1
    assert personas.dept_b.pk in roles.department_ids(post.user)
