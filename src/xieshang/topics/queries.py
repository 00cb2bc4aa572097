"""Reading topics: an object's tags, the topics its text suggests, and the counts by topic for a year.

Counts follow the register's own filter definition (``proposals.exports.RegisterFilters``): the number shown
for a topic is the number of rows its link to the register lists.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from xieshang.search.normalize import normalize

from .models import Topic, TopicTag


def tags_of(committee, kind, obj):
    """The topics of ``committee`` that ``obj`` is tagged with, in the list's order."""
    return list(Topic.objects.filter(committee=committee, tags__kind=kind, tags__object_id=obj.pk)
                .order_by("order", "id"))


@dataclass
class Suggestion:
    topic: Topic
    matched: list = field(default_factory=list)


def suggest(committee, text, *, exclude=(), limit=3):
    """Active topics of ``committee`` whose name or keywords occur in ``text``, most matches first.

    Both sides go through ``search.normalize`` (Traditional → Simplified, full-width → half-width), and a
    keyword matches as a substring, so 環境污染 suggests a topic with the keyword 污染.
    """
    norm = normalize(text or "")
    if not norm:
        return []
    skip = {getattr(t, "pk", t) for t in exclude}
    out = []
    for topic in Topic.objects.filter(committee=committee, is_active=True).exclude(pk__in=skip):
        words = [topic.name, *topic.keywords]
        matched = list(dict.fromkeys(w for w in words if w and normalize(w) in norm))
        if matched:
            out.append(Suggestion(topic, matched))
    out.sort(key=lambda s: (-len(s.matched), s.topic.order, s.topic.pk))
    return out[:limit]


def proposals_of_year(committee, year):
    """The committee's proposals the register lists for ``year`` (its session year), as a queryset."""
    from xieshang.proposals.exports import RegisterFilters, filter_register
    from xieshang.proposals.models import Proposal, Status

    return filter_register(Proposal.objects.filter(committee=committee).exclude(status=Status.DRAFT),
                           RegisterFilters(year=year))


def reports_of_year(committee, year):
    """The reports of ``year`` that reached ``committee`` (it holds a copy), never a draft."""
    from xieshang.opinions.models import Report, ReportStatus

    return Report.objects.filter(year=year, copies__committee=committee).exclude(status=ReportStatus.DRAFT)


def counts(committee, year):
    """{topic id: {"proposal": n, "opinion": n}} for every topic of ``committee`` (zeros included)."""
    result = {pk: {kind: 0 for kind in TopicTag.Kind.values}
              for pk in Topic.objects.filter(committee=committee).values_list("pk", flat=True)}
    scopes = {
        TopicTag.Kind.PROPOSAL: proposals_of_year(committee, year).values("pk"),
        TopicTag.Kind.OPINION: reports_of_year(committee, year).values("pk"),
    }
    for kind, objects in scopes.items():
        rows = (TopicTag.objects.filter(topic__committee=committee, kind=kind, object_id__in=objects)
                .values("topic_id").annotate(n=Count("id")).order_by())
        for row in rows:
            result[row["topic_id"]][kind] = row["n"]
    return result


def years(committee, today_year):
    """The years the counts page offers: the committee's session and report years, newest first."""
    from xieshang.opinions.models import Report
    from xieshang.org.models import Session

    found = set(Session.objects.filter(term__committee=committee).values_list("year", flat=True))
    found |= set(Report.objects.filter(copies__committee=committee).values_list("year", flat=True).distinct())
    found.add(today_year)
    return sorted(found, reverse=True)
