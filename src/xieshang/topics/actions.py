"""Topic writes: the committee's list of topics (create, update, the default seed) and the tags of an object.

Each is one transaction with its audit rows (``core.audit.action``); permissions are checked here, so pages,
the API and commands cannot skip them, and every refusal is raised before anything is written.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.audit import action
from xieshang.search.normalize import normalize

from . import targets
from .defaults import DEFAULT_TOPICS
from .models import Topic, TopicTag
from .queries import tags_of

MAX_KEYWORDS = 50
KEYWORD_SPLIT = re.compile(r"[\s,，、;；]+")
TOPIC_FIELDS = ["name", "keywords", "order", "is_active"]


def _require(actor, perm, obj):
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("无权执行此操作。"))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def clean_keywords(value):
    """A list of distinct keywords from a list or from text separated by spaces, commas or 、."""
    if value is None:
        return []
    items = KEYWORD_SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
    out = list(dict.fromkeys(item.strip() for item in items if item and item.strip()))
    if len(out) > MAX_KEYWORDS:
        raise ValidationError({"keywords": _("关键词不能超过 %(n)d 个。") % {"n": MAX_KEYWORDS}})
    if any(len(k) > 20 for k in out):
        raise ValidationError({"keywords": _("每个关键词不能超过 20 个字。")})
    return out


def _clean_topic(committee, data, *, instance=None):
    """The validated field values of a topic from ``data`` (only the keys present when updating)."""
    values = {}
    if "name" in data or instance is None:
        name = (data.get("name") or "").strip()
        if not name:
            raise ValidationError({"name": _("请填写专题名称。")})
        if len(name) > 20:
            raise ValidationError({"name": _("专题名称不能超过 20 个字。")})
        others = Topic.objects.filter(committee=committee)
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        if normalize(name) in {normalize(n) for n in others.values_list("name", flat=True)}:
            raise ValidationError({"name": _("本会已有同名专题。")})
        values["name"] = name
    if "keywords" in data:
        values["keywords"] = clean_keywords(data.get("keywords"))
    if "order" in data and data.get("order") is not None:
        try:
            order = int(data["order"])
        except (TypeError, ValueError):
            raise ValidationError({"order": _("排序须为 0–999 的整数。")}) from None
        if not 0 <= order <= 999:
            raise ValidationError({"order": _("排序须为 0–999 的整数。")})
        values["order"] = order
    if "is_active" in data and data.get("is_active") is not None:
        if not isinstance(data["is_active"], bool):
            raise ValidationError({"is_active": _("请选择是否启用。")})
        values["is_active"] = data["is_active"]
    return values


@action
def do_create_topic(committee, data, *, actor):
    """Add a topic to ``committee``'s list from ``data`` (name; optional keywords, order, is_active)."""
    _require(actor, "topics.manage_topics", committee)
    ensure_defaults(committee)
    values = _clean_topic(committee, data)
    values.setdefault("order", (Topic.objects.filter(committee=committee).order_by("-order")
                                .values_list("order", flat=True).first() or 0) + 10)
    topic = Topic.objects.create(committee=committee, **values)
    audit.record("topics.topic_created", topic, changes={k: [None, v] for k, v in
                                                          audit.snapshot(topic, TOPIC_FIELDS).items()})
    return topic


@action
def do_update_topic(topic, data, *, actor):
    """Change a topic's name, keywords, order or whether it is active; the tags it has are kept either way."""
    _require(actor, "topics.manage_topics", topic.committee)
    values = _clean_topic(topic.committee, data, instance=topic)
    before = audit.snapshot(topic, TOPIC_FIELDS)
    for name, value in values.items():
        setattr(topic, name, value)
    changes = audit.diff(before, audit.snapshot(topic, TOPIC_FIELDS))
    if changes:
        topic.save(update_fields=list(changes))
        audit.record("topics.topic_updated", topic, changes=changes)
    return topic


@action
def do_seed_topics(committee, *, actor):
    """Give ``committee`` the default topics if it has none yet (idempotent); returns how many were added."""
    if actor is not None:
        _require(actor, "topics.manage_topics", committee)
    if Topic.objects.filter(committee=committee).exists():
        return 0
    created = Topic.objects.bulk_create([
        Topic(committee=committee, name=name, keywords=list(keywords), order=(i + 1) * 10)
        for i, (name, keywords) in enumerate(DEFAULT_TOPICS)], ignore_conflicts=True)
    audit.record("topics.seeded", committee, committee=committee,
                 changes={"topics": [name for name, _k in DEFAULT_TOPICS]})
    return len(created)


def ensure_defaults(committee):
    """Seed the default topics of a committee created after migration 0002, on its first use (by the system)."""
    if not Topic.objects.filter(committee=committee).exists():
        do_seed_topics(committee, actor=None)


@action
def do_set_tags(kind, obj, topics, *, actor, committee=None):
    """Make ``topics`` (Topic rows or ids of ``committee``'s topics) the tags ``committee`` puts on ``obj``.

    ``committee`` defaults to the object's own (a proposal's committee, a report's originating committee).
    Tags of deactivated topics are left as they are: only active topics can be added or removed here.
    Returns the object's tags (the committee's topics) after the change.
    """
    committee = committee or obj.committee
    if kind not in TopicTag.Kind.values:
        raise ValidationError({"kind": _("不支持的标注对象类型。")})
    if not targets.may_tag(actor, committee, kind, obj):
        raise PermissionDenied(_("无权执行此操作。"))
    wanted_ids = set()
    for item in topics or ():
        pk = getattr(item, "pk", item)
        try:
            wanted_ids.add(int(pk))
        except (TypeError, ValueError):
            raise ValidationError({"topics": _("所选专题不存在或不属于本政协组织。")}) from None
    available = {t.pk: t for t in Topic.objects.filter(committee=committee)}
    if not wanted_ids <= set(available):
        raise ValidationError({"topics": _("所选专题不存在或不属于本政协组织。")})
    current = {tag.topic_id: tag for tag in TopicTag.objects.filter(
        topic__committee=committee, kind=kind, object_id=obj.pk).select_for_update()}
    inactive_new = [available[pk].name for pk in wanted_ids - set(current) if not available[pk].is_active]
    if inactive_new:
        raise ValidationError({"topics": _("专题“%(name)s”已停用，不能再用于标注。") % {"name": inactive_new[0]}})
    added = sorted(wanted_ids - set(current))
    removed = sorted(pk for pk in set(current) - wanted_ids if available[pk].is_active)
    if removed:
        TopicTag.objects.filter(pk__in=[current[pk].pk for pk in removed]).delete()
    if added:
        TopicTag.objects.bulk_create([TopicTag(topic=available[pk], kind=kind, object_id=obj.pk,
                                               tagged_by=_user(actor)) for pk in added], ignore_conflicts=True)
    if added or removed:
        audit.record("topics.tags_set", obj, committee=committee, changes={
            "kind": kind, "added": [available[pk].name for pk in added],
            "removed": [available[pk].name for pk in removed]})
    return tags_of(committee, kind, obj)

