"""社情民意 to-dos on 我的待办: queues (urgent first), drafts and returned reports, follow-ups, quotas."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieshang.core import workbench
from xieshang.opinions import actions
from xieshang.opinions.testing import forward, make_report, sign, signed_copy, submitted_copy

TODAY = datetime.date(2026, 6, 1)


def kinds(user):
    return [item.kind for item in workbench.items_for(user) if item.kind.startswith("opinions.")]


def items(user, kind):
    return [item for item in workbench.items_for(user) if item.kind == kind]


def test_editor_queue_lists_urgent_reports_first_and_counts_the_rest(chain):
    p = chain
    submitted_copy(p)
    submitted_copy(p)
    urgent = submitted_copy(p, data={"is_urgent": True, "title": "关于暴雨积水的紧急建议"})
    everything = [i for i in workbench.items_for(p.info_editor) if i.kind.startswith("opinions.")]
    assert everything[0].kind == "opinions.urgent" and "关于暴雨积水的紧急建议" in everything[0].title
    assert everything[0].due == TODAY and everything[0].url.endswith(f"/copies/{urgent.pk}/")
    queue = items(p.info_editor, "opinions.to_edit")
    assert len(queue) == 1 and queue[0].title.startswith("2 ")
    # Not the signer's, not another committee's, not the system administrator's.
    assert items(p.info_signer, "opinions.to_edit") == [] and items(p.info_signer, "opinions.urgent") == []
    assert kinds(p.city_editor) == [] and kinds(p.other_staff) == [] and kinds(p.sysadmin) == []


def test_signer_queue_and_a_forwarded_copy_in_the_parents_queue(chain):
    p = chain
    copy = submitted_copy(p, data={"is_urgent": True})
    actions.do_edit_copy(copy, actor=p.info_editor)
    assert [i.kind for i in items(p.info_signer, "opinions.urgent")] == ["opinions.urgent"]
    plain = submitted_copy(p)
    actions.do_edit_copy(plain, actor=p.info_editor)
    assert items(p.info_signer, "opinions.to_sign")[0].title.startswith("1 ")
    actions.do_sign_copy(plain, actor=p.info_signer)
    forward(p, plain)
    assert items(p.city_editor, "opinions.to_edit")[0].title.startswith("1 ")
    assert items(p.info_editor, "opinions.to_edit") == []


def test_author_sees_drafts_and_returned_reports_with_the_reason(chain):
    p = chain
    make_report(p, data={"title": "草稿一"})
    copy = submitted_copy(p, data={"title": "退回件"})
    actions.do_return_copy(copy, reason="请补充数据", actor=p.info_editor)
    drafts = {i.title: i for i in items(p.member, "opinions.draft")}
    assert len(drafts) == 2
    returned = next(i for t, i in drafts.items() if "退回件" in t)
    assert returned.detail == "请补充数据"
    assert items(p.cosigner, "opinions.draft") == []


def test_departments_see_follow_ups_due_and_editors_the_reports_to_close(chain):
    p = chain
    copy = signed_copy(p)
    actions.do_record_instruction(copy, leader_name="张区长", text="研究", instructed_on=TODAY,
                                  departments=[p.dept_a], actor=p.info_editor)
    [task] = items(p.dept_handler, "opinions.follow_up")
    assert task.due == datetime.date(2026, 6, 23) and not task.overdue
    assert items(p.other_dept_handler, "opinions.follow_up") == []
    from xieshang.opinions.models import FollowUp

    actions.do_report_follow_up(FollowUp.objects.get(), response="已办", actor=p.dept_handler)
    assert items(p.dept_handler, "opinions.follow_up") == []
    assert items(p.info_editor, "opinions.follow_up_review")[0].title.startswith("1 ")


def test_quota_progress_shows_until_met(chain):
    from xieshang.opinions import settings as local
    from xieshang.org.models import CommitteeSetting

    p = chain
    CommitteeSetting.objects.create(committee=p.district, key=local.MEMBER_QUOTA, value=2)
    [quota] = items(p.member, "opinions.quota")
    assert "0 / 2" in quota.title and quota.due == datetime.date(2026, 12, 31)
    copy = signed_copy(p)
    actions.do_adopt_copy(copy, kind="single", adopted_by="区政协", adopted_on=TODAY, actor=p.info_editor)
    [quota] = items(p.member, "opinions.quota")
    assert "1 / 2" in quota.title and "1" in quota.detail
    submitted_copy(p)
    assert items(p.member, "opinions.quota") == []
    [informant_quota] = items(p.informant, "opinions.quota")
    assert "0 / 12" in informant_quota.title
    assert items(p.outsider, "opinions.quota") == [] and items(p.info_editor, "opinions.quota") == []


def test_providers_run_a_fixed_number_of_queries(chain):
    p = chain
    for _ in range(2):
        submitted_copy(p, data={"is_urgent": True})
    sign(p, submitted_copy(p))
    with CaptureQueriesContext(connection) as few:
        workbench.items_for(p.info_editor)
    for _ in range(4):
        submitted_copy(p, data={"is_urgent": True})
        submitted_copy(p)
    with CaptureQueriesContext(connection) as many:
        workbench.items_for(p.info_editor)
    assert len(many) == len(few)
