"""Committees and their structure: terms and sessions, sectors, special committees, liaison groups."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.org import actions
from xieshang.org.models import Committee, LiaisonGroup, Sector, Session, SpecialCommittee, Term

from .. import schemas as s
from ..access import PageQuery, committee_for, get_in, paginate, require, visible_committees

router = Router(tags=["政协组织"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


def _parent(data):
    """Turn the parent's code into the committee row; an unknown or unseen code is a 422."""
    if data.get("parent") is None:
        return data
    parent = Committee.objects.filter(code=data["parent"]).first()
    if parent is None:
        raise ValidationError({"parent": [_("上级政协不存在。")]})
    data["parent"] = parent
    return data


@router.get("/committees", response=s.Page[s.CommitteeOut], summary="可见的政协组织")
def list_committees(request, page: PageQuery):
    return paginate(visible_committees(request.auth).select_related("parent").order_by("id"), page)


@router.post("/committees", response={201: s.CommitteeOut, **ERRORS}, summary="新建政协组织（系统管理员）")
def create_committee(request, payload: s.CommitteeIn):
    require(request, "org.add_committee", None)
    committee = actions.do_create_committee(_parent(payload.dict()), actor=request.auth)
    return 201, committee


@router.get("/committees/{code}", response={200: s.CommitteeOut, **ERRORS}, summary="政协组织详情")
def get_committee(request, code: str):
    return committee_for(request, code)


@router.patch("/committees/{code}", response={200: s.CommitteeOut, **ERRORS}, summary="修改政协组织（系统管理员）")
def update_committee(request, code: str, payload: s.CommitteePatch):
    committee = committee_for(request, code, "org.change_committee")
    return actions.do_update_committee(committee, _parent(payload.dict(exclude_unset=True)), actor=request.auth)


# Terms and sessions -------------------------------------------------------------------------------------

@router.get("/committees/{code}/terms", response={200: list[s.TermOut], **ERRORS}, tags=["届次"])
def list_terms(request, code: str):
    committee = committee_for(request, code, "org.view_structure")
    return Term.objects.filter(committee=committee).order_by("-number")


@router.post("/committees/{code}/terms", response={201: s.TermOut, **ERRORS}, tags=["届次"])
def create_term(request, code: str, payload: s.TermIn):
    committee = committee_for(request, code, "org.change_structure")
    return 201, actions.do_create_term(committee, payload.dict(), actor=request.auth)


@router.patch("/committees/{code}/terms/{term_id}", response={200: s.TermOut, **ERRORS}, tags=["届次"])
def update_term(request, code: str, term_id: int, payload: s.TermPatch):
    committee = committee_for(request, code)
    term = get_in(committee, Term.objects, term_id)
    require(request, "org.change_structure", committee)
    return actions.do_update_term(term, payload.dict(exclude_unset=True), actor=request.auth)


@router.post("/committees/{code}/terms/{term_id}/make-current", response={200: s.TermOut, **ERRORS}, tags=["届次"])
def make_current_term(request, code: str, term_id: int):
    committee = committee_for(request, code)
    term = get_in(committee, Term.objects, term_id)
    require(request, "org.change_structure", committee)
    return actions.do_set_current_term(term, actor=request.auth)


@router.get("/committees/{code}/sessions", response={200: list[s.SessionOut], **ERRORS}, tags=["届次"])
def list_sessions(request, code: str, term_id: int | None = None):
    committee = committee_for(request, code, "org.view_structure")
    sessions = Session.objects.filter(term__committee=committee)
    if term_id is not None:
        sessions = sessions.filter(term_id=term_id)
    return sessions.order_by("-year", "-number")


@router.post("/committees/{code}/terms/{term_id}/sessions", response={201: s.SessionOut, **ERRORS}, tags=["届次"])
def create_session(request, code: str, term_id: int, payload: s.SessionIn):
    committee = committee_for(request, code)
    term = get_in(committee, Term.objects, term_id)
    require(request, "org.change_structure", committee)
    return 201, actions.do_create_session(term, payload.dict(), actor=request.auth)


@router.patch("/committees/{code}/sessions/{session_id}", response={200: s.SessionOut, **ERRORS}, tags=["届次"])
def update_session(request, code: str, session_id: int, payload: s.SessionPatch):
    committee = committee_for(request, code)
    session = Session.objects.filter(pk=session_id, term__committee=committee).select_related("term").first()
    if session is None:
        raise Http404
    require(request, "org.change_structure", committee)
    return actions.do_update_session(session, payload.dict(exclude_unset=True), actor=request.auth)


# Sectors, special committees, liaison groups: the same four endpoints each --------------------------------

def _structure(model, path, out, create_in, patch_in, create_action, update_action, tag):
    @router.get(f"/committees/{{code}}/{path}", response={200: list[out], **ERRORS}, tags=[tag],
                operation_id=f"list_{path.replace('-', '_')}")
    def list_rows(request, code: str):
        committee = committee_for(request, code, "org.view_structure")
        return model.objects.filter(committee=committee)

    @router.post(f"/committees/{{code}}/{path}", response={201: out, **ERRORS}, tags=[tag],
                 operation_id=f"create_{path.replace('-', '_')}")
    def create_row(request, code: str, payload: create_in):
        committee = committee_for(request, code, "org.change_structure")
        return 201, create_action(committee, payload.dict(), actor=request.auth)

    @router.get(f"/committees/{{code}}/{path}/{{pk}}", response={200: out, **ERRORS}, tags=[tag],
                operation_id=f"get_{path.replace('-', '_')}")
    def get_row(request, code: str, pk: int):
        committee = committee_for(request, code, "org.view_structure")
        return get_in(committee, model.objects, pk)

    @router.patch(f"/committees/{{code}}/{path}/{{pk}}", response={200: out, **ERRORS}, tags=[tag],
                  operation_id=f"update_{path.replace('-', '_')}")
    def update_row(request, code: str, pk: int, payload: patch_in):
        committee = committee_for(request, code)
        row = get_in(committee, model.objects, pk)
        require(request, "org.change_structure", committee)
        return update_action(row, payload.dict(exclude_unset=True), actor=request.auth)


_structure(Sector, "sectors", s.SectorOut, s.SectorIn, s.SectorPatch,
           actions.do_create_sector, actions.do_update_sector, "界别")
_structure(SpecialCommittee, "special-committees", s.SpecialCommitteeOut, s.SpecialCommitteeIn,
           s.SpecialCommitteePatch, actions.do_create_special_committee, actions.do_update_special_committee, "专委会")
_structure(LiaisonGroup, "liaison-groups", s.LiaisonGroupOut, s.LiaisonGroupIn, s.LiaisonGroupPatch,
           actions.do_create_liaison_group, actions.do_update_liaison_group, "联络组")
