"""Library documents: indexed in their cleaned Simplified text; visible where ``library.view_document`` holds."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xieshang.library.models import Document

from .. import registry
from ._util import committees_with, safe_reverse


def _doc(d):
    return registry.Doc(
        committee_id=d.committee_id,
        title=d.title,
        body=d.index_text(),
        year=d.created_at.year if d.created_at else None,
        category=d.kind,
        date=d.created_at,
    )


registry.register(registry.Provider(
    kind="document",
    label=_("文库资料"),
    model=Document,
    queryset=lambda: Document.objects.all(),
    document=_doc,
    visible=lambda user: Q(kind="document", committee_id__in=committees_with(user, "library.view_document")),
    scope=lambda user: committees_with(user, "library.view_document"),
    url=lambda entry: safe_reverse("library:detail", entry.committee.code, entry.object_id),
    status_choices=(),
))
