"""Members: the directory fields only (name, sector, unit, post, party), never contacts.

Visible where the user holds ``org.view_member_directory``.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.org.models import Member

from .. import registry
from ._util import committees_with, safe_reverse


def _doc(m):
    parts = [m.unit, m.post, m.party, m.sector.name if m.sector_id else "",
             m.special_committee.name if m.special_committee_id else "",
             m.liaison_group.name if m.liaison_group_id else ""]
    return registry.Doc(
        committee_id=m.committee_id,
        title=m.name,
        body=" ".join(p for p in parts if p),
        status=m.status,
        sector_id=m.sector_id,
        year=m.term.start_date.year if m.term_id else None,
    )


registry.register(registry.Provider(
    kind="member",
    label=_("委员"),
    model=Member,
    queryset=lambda: Member.objects.select_related("sector", "special_committee", "liaison_group", "term"),
    document=_doc,
    visible=lambda user: Q(kind="member", committee_id__in=committees_with(user, "org.view_member_directory")),
    scope=lambda user: committees_with(user, "org.view_member_directory"),
    url=lambda entry: safe_reverse("org:member_detail", entry.committee.code, entry.object_id),
    status_choices=tuple(Member.Status.choices),
))
