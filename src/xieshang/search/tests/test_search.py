from django.core.management import call_command
from django.urls import reverse

from xieshang.library import actions as library_actions
from xieshang.proposals import actions as proposal_actions
from xieshang.search import index, query
from xieshang.search.models import SearchEntry
from xieshang.search.query import Filters


def titles(user, text, **filters):
    return [e.title for e in query.search(user, text, Filters(**filters))]


def test_traditional_query_finds_simplified_text(world):
    world.add("关于加强民主监督工作的建议")
    assert titles(world.proposal_staff, "民主監督") == ["关于加强民主监督工作的建议"]


def test_simplified_query_finds_traditional_text(world):
    world.add("關於加強民主監督工作的建議")
    assert titles(world.proposal_staff, "民主监督") == ["關於加強民主監督工作的建議"]


def test_taiwan_vocabulary_query_finds_mainland_words(world):
    world.add("关于规范出租车管理的建议", "建议推广国产软件。")
    assert titles(world.proposal_staff, "計程車") == ["关于规范出租车管理的建议"]
    assert titles(world.proposal_staff, "軟體") == ["关于规范出租车管理的建议"]


def test_full_width_query_finds_half_width_text(world):
    world.add("关于治理PM2.5污染的建议")
    assert titles(world.proposal_staff, "ＰＭ２．５") == ["关于治理PM2.5污染的建议"]


def test_one_and_two_character_queries_find_their_documents(world):
    world.add("关于典农河水质提升的建议")
    world.add("关于加强政协委员履职的建议")
    assert titles(world.proposal_staff, "河") == ["关于典农河水质提升的建议"]
    assert titles(world.proposal_staff, "政协") == ["关于加强政协委员履职的建议"]


def test_a_literal_substring_is_never_missed_whatever_jieba_does(world):
    # jieba cuts 和平均 as 和/平均 here; the query 和平 must still find the text that contains it.
    world.add("关于收入和平均工资统计的建议")
    assert titles(world.proposal_staff, "和平") == ["关于收入和平均工资统计的建议"]


def test_all_terms_must_match(world):
    world.add("关于老旧小区加装电梯的建议")
    world.add("关于老旧小区停车难的建议")
    assert titles(world.proposal_staff, "老旧小区 电梯") == ["关于老旧小区加装电梯的建议"]


def test_title_matches_rank_before_body_matches(world):
    world.add("关于乡村振兴的建议", "其中涉及电梯安全。")
    world.add("关于电梯安全的建议")
    assert titles(world.proposal_staff, "电梯安全") == ["关于电梯安全的建议", "关于乡村振兴的建议"]


def test_filters_narrow_the_results(world):
    world.add("关于河道治理的建议", category="")
    world.add("关于河道保洁的建议", session=world.old_session)
    assert titles(world.proposal_staff, "河道", year=2025) == ["关于河道保洁的建议"]
    assert titles(world.proposal_staff, "河道", session_id=world.session.pk) == ["关于河道治理的建议"]
    assert titles(world.proposal_staff, "河道", kind="member") == []
    assert titles(world.proposal_staff, "河道", status="draft") == []


def test_department_filter_uses_assigned_or_suggested_departments(world):
    proposal = world.add("关于河道治理的建议")
    world.add("关于河道保洁的建议")
    proposal.suggested_departments.add(world.dept_a)
    index.reindex("proposal", proposal.pk)
    assert titles(world.proposal_staff, "河道", department_id=world.dept_a.pk) == ["关于河道治理的建议"]


def test_snippet_escapes_html_then_marks_the_match(world):
    world.add("关于<script>标签的建议", "正文提到<b>民主监督</b>的做法。")
    row = query.result_rows(query.search(world.proposal_staff, "民主監督"), "民主監督")[0]
    assert "<script>" not in row["title_html"]
    assert "&lt;script&gt;" in row["title_html"]
    assert "<mark>民主监督</mark>" in row["snippet_html"]
    assert "&lt;b&gt;" in row["snippet_html"]


def test_members_are_searchable_by_name_and_unit_but_not_by_phone(world):
    index.rebuild(["member"])
    entries = query.search(world.proposal_staff, "王建国")
    assert [e.kind for e in entries] == ["member"]
    assert not query.search(world.proposal_staff, "13800000001").exists()


def test_saving_through_an_action_updates_the_index_on_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_actions.do_create_proposal(
            world.district, world.session, {"title": "关于社区养老服务的建议"}, actor=world.member)
    assert SearchEntry.objects.filter(kind="proposal", object_id=proposal.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        proposal_actions.do_update_proposal(proposal, {"title": "关于居家养老服务的建议"}, actor=world.member)
    assert SearchEntry.objects.get(kind="proposal", object_id=proposal.pk).title == "关于居家养老服务的建议"
    assert titles(world.member, "居家养老") == ["关于居家养老服务的建议"]
    assert titles(world.member, "社区养老") == []


def test_a_rolled_back_action_leaves_the_index_alone(world, django_capture_on_commit_callbacks):
    import pytest
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            proposal_actions.do_create_proposal(world.district, world.session, {"title": ""}, actor=world.member)
    assert callbacks == []
    assert not SearchEntry.objects.filter(kind="proposal").exists()


def test_deleting_a_document_removes_its_entry(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = library_actions.do_import_document(world.district, title="学习资料", text="政协章程全文。",
                                                      actor=world.office_admin)
    assert titles(world.member, "章程") == ["学习资料"]
    with django_capture_on_commit_callbacks(execute=True):
        library_actions.do_delete_document(document, actor=world.office_admin)
    assert titles(world.member, "章程") == []


def test_rebuild_command_reindexes_everything(world):
    world.add("关于河道治理的建议")
    SearchEntry.objects.all().delete()
    call_command("search_rebuild", stdout=open("/dev/null", "w"))
    assert titles(world.proposal_staff, "河道") == ["关于河道治理的建议"]
    assert SearchEntry.objects.filter(kind="member").count() == 2


def test_search_page_shows_marked_results_and_paginates(world, client, login):
    for i in range(25):
        world.add(f"关于河道治理的第{i}条建议")
    login(client, world.proposal_staff)
    response = client.get(reverse("search:search"), {"q": "河道"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "找到 25 条结果" in body
    assert "<mark>河道</mark>" in body
    assert "第 1 / 2 页" in body
    page2 = client.get(reverse("search:search"), {"q": "河道", "page": 2}).content.decode()
    assert page2.count("search-hit\"") == 5


def test_search_page_rejects_bad_filters_with_a_message(world, client, login):
    login(client, world.proposal_staff)
    response = client.get(reverse("search:search"), {"q": "河道", "year": "abc", "kind": "nonsense"})
    body = response.content.decode()
    assert "检索条件有误" in body
    assert "找到" not in body


def test_search_page_requires_sign_in(client):
    response = client.get(reverse("search:search"), {"q": "河道"})
    assert response.status_code == 302


def test_api_search_returns_the_same_results(world, client, login):
    world.add("关于河道治理的建议")
    login(client, world.proposal_staff)
    response = client.get("/api/v1/search", {"q": "河道"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["title"] == "关于河道治理的建议"
    assert "<mark>河道</mark>" in data["items"][0]["title_html"]


def test_api_search_rejects_bad_input_with_422(world, client, login):
    login(client, world.proposal_staff)
    assert client.get("/api/v1/search", {"q": "河道", "kind": "nonsense"}).status_code == 422
    assert client.get("/api/v1/search", {"q": "河道", "limit": 1000}).status_code == 422
