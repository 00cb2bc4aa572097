"""Topic tags (专题标签): the committee's topics, the tags of a proposal or report, and counts by topic.

Everything goes through ``xieshang.topics`` (actions for writes, the same permission rules as the pages): a
committee or object the caller may not see is a 404, a visible one the caller may not change a 403.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from xieshang.topics import actions, queries, targets
from xieshang.topics.models import Topic

from .. import schemas as s
from ..access import committee_for, require

router = Router(tags=["专题标签"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
Kind = Literal["proposal", "opinion"]


class TopicOut(Schema):
    id: int
    name: str
    keywords: list[str]
    order: int
    is_active: bool


class TopicIn(s.Input):
    name: str = Field(max_length=20)
    keywords: list[str] = Field(default_factory=list, description="提示关键词")
    order: int | None = Field(None, ge=0, le=999)
    is_active: bool = True


class TopicPatch(s.Input):
    name: str | None = Field(None, max_length=20)
    keywords: list[str] | None = None
    order: int | None = Field(None, ge=0, le=999)
    is_active: bool | None = None


class SuggestionOut(Schema):
    topic: TopicOut
    matched: list[str] = Field(description="正文中出现的关键词")


class TagsOut(Schema):
    kind: str
    object_id: int
    topics: list[TopicOut]
    can_tag: bool
    suggestions: list[SuggestionOut] = Field(default_factory=list, description="仅对可标注者给出")


class TagsIn(s.Input):
    topics: list[int] = Field(description="专题 id；给出完整的标签集合，空列表表示清除")


class CountOut(Schema):
    topic: TopicOut
    proposals: int
    reports: int


class CountsOut(Schema):
    year: int
    items: list[CountOut]


@router.get("/committees/{code}/topics", response={200: list[TopicOut], **ERRORS}, summary="专题列表")
def list_topics(request, code: str, active: bool | None = None):
    committee = committee_for(request, code, "topics.view_topics")
    actions.ensure_defaults(committee)
    topics = Topic.objects.filter(committee=committee)
    if active is not None:
        topics = topics.filter(is_active=active)
    return list(topics)


@router.post("/committees/{code}/topics", response={201: TopicOut, **ERRORS}, summary="新增专题")
def create_topic(request, code: str, payload: TopicIn):
    committee = committee_for(request, code, "topics.manage_topics")
    return 201, actions.do_create_topic(committee, payload.dict(exclude_none=True), actor=request.auth)


@router.patch("/committees/{code}/topics/{int:topic_id}", response={200: TopicOut, **ERRORS}, summary="修改专题")
def update_topic(request, code: str, topic_id: int, payload: TopicPatch):
    committee = committee_for(request, code, "topics.view_topics")
    topic = Topic.objects.filter(committee=committee, pk=topic_id).first()
    if topic is None:
        raise Http404
    require(request, "topics.manage_topics", committee)
    return actions.do_update_topic(topic, payload.dict(exclude_unset=True), actor=request.auth)


@router.get("/committees/{code}/topics/counts", response={200: CountsOut, **ERRORS}, summary="按专题统计")
def topic_counts(request, code: str, year: int | None = None):
    committee = committee_for(request, code, "topics.view_counts")
    if year is not None and not 1949 <= year <= 2999:
        raise ValidationError({"year": [_("年度须在 1949–2999 之间。")]})
    actions.ensure_defaults(committee)
    year = year or timezone.localdate().year
    counts = queries.counts(committee, year)
    return {"year": year, "items": [
        {"topic": t, "proposals": counts[t.pk]["proposal"], "reports": counts[t.pk]["opinion"]}
        for t in Topic.objects.filter(committee=committee)]}


def _tags_out(request, committee, kind, obj, topics):
    can_tag = targets.may_tag(request.auth, committee, kind, obj)
    suggestions = []
    if can_tag:
        suggestions = [{"topic": x.topic, "matched": x.matched}
                       for x in queries.suggest(committee, targets.target(kind).text(obj), exclude=topics)]
    return {"kind": kind, "object_id": obj.pk, "topics": topics, "can_tag": can_tag, "suggestions": suggestions}


@router.get("/committees/{code}/tags/{kind}/{object_id}", response={200: TagsOut, **ERRORS},
            summary="对象的专题标签")
def get_tags(request, code: str, kind: Kind, object_id: int):
    committee = committee_for(request, code, "topics.view_topics")
    obj = targets.visible_object(request.auth, committee, kind, object_id)
    actions.ensure_defaults(committee)
    return _tags_out(request, committee, kind, obj, queries.tags_of(committee, kind, obj))


@router.put("/committees/{code}/tags/{kind}/{object_id}", response={200: TagsOut, **ERRORS},
            summary="设置对象的专题标签")
def set_tags(request, code: str, kind: Kind, object_id: int, payload: TagsIn):
    committee = committee_for(request, code, "topics.view_topics")
    obj = targets.visible_object(request.auth, committee, kind, object_id)
    topics = actions.do_set_tags(kind, obj, payload.topics, committee=committee, actor=request.auth)
    return _tags_out(request, committee, kind, obj, topics)
