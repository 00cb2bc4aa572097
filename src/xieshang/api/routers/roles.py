"""Role grants per committee: read and changed by holders of ``org.manage_roles``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.org import actions
from xieshang.org.models import RoleGrant

from .. import schemas as s
from ..access import committee_for

router = Router(tags=["角色授权"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


def _out(grant):
    return {
        "id": grant.pk, "username": grant.user.username, "full_name": grant.user.get_full_name(),
        "role": grant.role, "committee": grant.committee.code if grant.committee_id else None,
    }


@router.get("/committees/{code}/roles", response={200: list[s.RoleGrantOut], **ERRORS})
def list_grants(request, code: str):
    committee = committee_for(request, code, "org.manage_roles")
    grants = RoleGrant.objects.filter(committee=committee).select_related("user", "committee").order_by("role", "id")
    return [_out(g) for g in grants]


@router.post("/committees/{code}/roles", response={201: s.RoleGrantOut, **ERRORS})
def grant_role(request, code: str, payload: s.RoleGrantIn):
    committee = committee_for(request, code, "org.manage_roles")
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationError({"username": [_("该账号不存在。")]})
    grant = actions.do_grant_role(user, committee, payload.role, actor=request.auth)
    return 201, _out(grant)


@router.delete("/committees/{code}/roles/{grant_id}", response={204: None, **ERRORS})
def revoke_role(request, code: str, grant_id: int):
    committee = committee_for(request, code, "org.manage_roles")
    grant = RoleGrant.objects.filter(committee=committee, pk=grant_id).select_related("user").first()
    if grant is None:
        raise Http404
    actions.do_revoke_role(grant, actor=request.auth)
    return 204, None
