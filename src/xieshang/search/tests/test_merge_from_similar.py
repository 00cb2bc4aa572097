"""并案 from the similar-items panel: offered to proposal staff on a proposal under review, for each similar filed
proposal of the same session; posted to the proposals' own ``merge`` operation (no second write path)."""

import pytest
from django.urls import reverse

from xieshang.core.models import AuditEvent
from xieshang.proposals.models import Proposal

BODY = "本区老旧小区加装电梯进展缓慢，资金分摊和居民意见协调困难。"


@pytest.fixture
def review(world):
    w = world
    w.lead = w.add("关于加快老旧小区加装电梯的建议", BODY)
    Proposal.objects.filter(pk=w.lead.pk).update(case_number=12)
    w.pending = w.add("关于推进老旧小区加装电梯工作的建议", BODY, status="submitted")
    w.old = w.add("关于老旧小区加装电梯资金分摊的建议", BODY, session=w.old_session)
    w.new = w.add("关于老旧小区加装电梯难的提案", "老旧小区加装电梯难，主要是资金分摊和居民协调。", status="review")
    return w


def panel(client, login, user, proposal):
    login(client, user)
    response = client.get(reverse("search:proposal_panel", args=["district", proposal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def merge_url(proposal):
    return reverse("proposals:op", args=["district", proposal.pk, "merge"])


def test_staff_see_a_merge_button_for_a_filed_proposal_of_the_same_session(review, client, login):
    w = review
    body = panel(client, login, w.proposal_staff, w.new)
    assert body.count('data-testid="merge-candidate"') == 1
    assert f'action="{merge_url(w.new)}"' in body
    assert f'name="merge-{w.new.pk}-into" value="{w.lead.pk}"' in body
    assert "确认并案" in body and "第12号" in body
    # The others are similar but cannot be merged into, and the panel says why.
    assert "只能并入已立案且尚未归档的提案" in body      # the submitted one
    assert "只能并入同一会次的提案" in body              # last session's filed one


@pytest.mark.parametrize("persona", ["member", "committee_leader", "auditor"])
def test_those_who_may_not_merge_see_no_button(review, client, login, persona):
    body = panel(client, login, getattr(review, persona), review.new)
    assert "相似度" in body  # the panel itself is shown
    assert "merge-candidate" not in body and "确认并案" not in body and "merge-refusal" not in body


def test_no_button_once_the_proposal_is_no_longer_under_review(review, client, login):
    Proposal.objects.filter(pk=review.new.pk).update(status="filed")
    body = panel(client, login, review.proposal_staff, review.new)
    assert "相似度" in body and "merge-candidate" not in body


def test_the_button_merges_through_the_proposals_operation(review, client, login):
    w = review
    login(client, w.proposal_staff)
    response = client.post(merge_url(w.new), {f"merge-{w.new.pk}-into": w.lead.pk,
                                              "next": reverse("proposals:detail", args=["district", w.new.pk])})
    assert response.status_code == 302
    w.new.refresh_from_db()
    assert w.new.status == "merged" and w.new.merged_into == w.lead
    event = AuditEvent.objects.get(verb="proposals.merged")
    assert event.actor == w.proposal_staff and event.target_id == str(w.new.pk)
    # After the merge the panel offers nothing more.
    assert "merge-candidate" not in panel(client, login, w.proposal_staff, w.new)


def test_merging_into_a_proposal_that_is_not_filed_is_refused_and_nothing_changes(review, client, login):
    w = review
    login(client, w.proposal_staff)
    response = client.post(merge_url(w.new), {f"merge-{w.new.pk}-into": w.pending.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="fielderror"' in body or "errorlist" in body
    w.new.refresh_from_db()
    assert w.new.status == "review" and w.new.merged_into is None
    assert not AuditEvent.objects.filter(verb="proposals.merged").exists()


def test_a_member_cannot_post_the_merge(review, client, login):
    w = review
    login(client, w.member)
    response = client.post(merge_url(w.new), {f"merge-{w.new.pk}-into": w.lead.pk})
    assert response.status_code == 403
    w.new.refresh_from_db()
    assert w.new.status == "review"
    assert not AuditEvent.objects.filter(verb="proposals.merged").exists()


def test_another_committees_staff_cannot_see_the_panel(review, client, login):
    login(client, review.other_staff)
    response = client.get(reverse("search:proposal_panel", args=["district", review.new.pk]))
    assert response.status_code in (403, 404)
