"""Members (委员): the directory for everyone in the committee; contacts only with ``org.view_member_contacts``."""

from django.db.models import Q
from ninja import Query, Router, Schema

from xieshang.org import actions
from xieshang.org.models import LiaisonGroup, Member, Sector, SpecialCommittee, Term

from .. import schemas as s
from ..access import PageQuery, committee_for, get_in, paginate, require, resolve_refs

router = Router(tags=["委员"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
REFS = {"term": Term, "sector": Sector, "special_committee": SpecialCommittee, "liaison_group": LiaisonGroup}


class MemberFilters(Schema):
    q: str | None = None
    sector: int | None = None
    special_committee: int | None = None
    liaison_group: int | None = None
    term: int | None = None
    status: str | None = None
    is_standing: bool | None = None


def _ref(row):
    return {"id": row.pk, "name": row.name} if row is not None else None


def _out(member, with_contacts):
    """The member as the API shows it; contacts are left out unless the caller may see them."""
    data = {
        "id": member.pk, "member_no": member.member_no, "name": member.name, "gender": member.gender,
        "ethnicity": member.ethnicity, "party": member.party, "term_id": member.term_id,
        "sector": _ref(member.sector), "special_committee": _ref(member.special_committee),
        "liaison_group": _ref(member.liaison_group), "is_standing": member.is_standing, "unit": member.unit,
        "post": member.post, "status": member.status, "contacts": None,
    }
    if with_contacts:
        data["contacts"] = {
            "mobile": member.mobile, "phone": member.phone, "email": member.email, "address": member.address,
            "birth_date": member.birth_date,
        }
    return data


def _members(committee):
    return Member.objects.filter(committee=committee).select_related("sector", "special_committee", "liaison_group")


@router.get("/committees/{code}/members", response={200: s.Page[s.MemberOut], **ERRORS}, summary="委员名录")
def list_members(request, code: str, page: PageQuery, filters: Query[MemberFilters]):
    committee = committee_for(request, code, "org.view_member_directory")
    members = _members(committee)
    if filters.q:
        members = members.filter(Q(name__icontains=filters.q) | Q(unit__icontains=filters.q) | Q(member_no=filters.q))
    for field in ("sector", "special_committee", "liaison_group", "term"):
        value = getattr(filters, field)
        if value is not None:
            members = members.filter(**{f"{field}_id": value})
    if filters.status:
        members = members.filter(status=filters.status)
    if filters.is_standing is not None:
        members = members.filter(is_standing=filters.is_standing)
    result = paginate(members.order_by("sector__order", "id"), page)
    with_contacts = request.auth.has_perm("org.view_member_contacts", committee)
    result["items"] = [_out(m, with_contacts) for m in result["items"]]
    return result


@router.get("/committees/{code}/members/{member_id}", response={200: s.MemberOut, **ERRORS}, summary="委员详情")
def get_member(request, code: str, member_id: int):
    committee = committee_for(request, code, "org.view_member_directory")
    member = get_in(committee, _members(committee), member_id)
    return _out(member, request.auth.has_perm("org.view_member_contacts", committee))


@router.post("/committees/{code}/members", response={201: s.MemberOut, **ERRORS}, summary="新增委员")
def create_member(request, code: str, payload: s.MemberIn):
    committee = committee_for(request, code, "org.change_member")
    data = resolve_refs(committee, payload.dict(), REFS)
    member = actions.do_create_member(committee, data, actor=request.auth)
    return 201, _out(member, True)


@router.patch("/committees/{code}/members/{member_id}", response={200: s.MemberOut, **ERRORS}, summary="修改委员信息")
def update_member(request, code: str, member_id: int, payload: s.MemberPatch):
    committee = committee_for(request, code)
    member = get_in(committee, _members(committee), member_id)
    require(request, "org.change_member", committee)
    data = resolve_refs(committee, payload.dict(exclude_unset=True), REFS)
    return _out(actions.do_update_member(member, data, actor=request.auth), True)
