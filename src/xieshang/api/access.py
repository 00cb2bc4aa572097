"""Fetch-and-authorise helpers shared by the routers.

The rule for refusals: a committee (or an object in one) that the caller may not even see is a 404, so the
API never reveals that it exists; a visible one that the caller may not change is a 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import Field

from xieshang.org import roles
from xieshang.org.models import Committee

MAX_LIMIT = 500


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数")
    offset: int = Field(0, ge=0, description="跳过的条数")


PageQuery = Query[PageParams]


def paginate(queryset, params):
    """One page of ``queryset`` with the total count: two queries whatever the page size."""
    total = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    return {"count": total, "limit": params.limit, "offset": params.offset, "items": items}


def visible_committees(user):
    """The committees ``user`` may see (rule ``org.view_committee``), as a queryset."""
    if roles.is_sysadmin(user):
        return Committee.objects.all()
    return Committee.objects.filter(pk__in=roles.committee_ids(user))


def committee_for(request, code, perm=None):
    """The committee ``code`` if the caller can see it (else 404) and holds ``perm`` on it (else 403)."""
    user = request.auth
    committee = Committee.objects.select_related("parent").filter(code=code).first()
    if committee is None or not user.has_perm("org.view_committee", committee):
        raise Http404
    if perm:
        require(request, perm, committee)
    return committee


def require(request, perm, obj):
    if not request.auth.has_perm(perm, obj):
        raise PermissionDenied(_("无权执行此操作。"))


def get_in(committee, queryset, pk):
    """The row ``pk`` of ``queryset`` that belongs to ``committee``; 404 for another committee's row."""
    obj = queryset.filter(committee=committee, pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def rows_in_order(queryset, ids, field, *, drop_repeats=False):
    """The rows of ``queryset`` with ``ids``, in the order given; an id it does not hold (unknown, or another
    committee's when the queryset is limited to one) is a 422 on ``field`` naming every such id.

    With ``drop_repeats`` an id given twice yields its row once; otherwise a repeated id repeats its row.
    """
    ids = list(dict.fromkeys(ids)) if drop_repeats else list(ids)
    found = {row.pk: row for row in queryset.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: _("所选项不存在或不属于本政协组织：%(ids)s") % {
            "ids": ", ".join(str(i) for i in missing)}})
    return [found[i] for i in ids]


def resolve_refs(committee, data, models):
    """Replace reference ids in ``data`` by rows of the same committee; a foreign or unknown id is a 422.

    ``models`` maps a field name to its model. The message is the same for "no such row" and "another
    committee's row", so the answer reveals nothing about other committees.
    """
    errors = {}
    for field, model in models.items():
        if field not in data or data[field] is None:
            continue
        row = model.objects.filter(pk=data[field], committee=committee).first()
        if row is None:
            errors[field] = [_("所选项不存在或不属于本政协组织。")]
        else:
            data[field] = row
    if errors:
        raise ValidationError(errors)
    return data
