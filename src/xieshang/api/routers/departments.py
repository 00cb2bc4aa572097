"""Handling departments (承办单位) and their staff accounts at three tiers."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from xieshang.org import actions
from xieshang.org.models import Department, DepartmentStaff

from .. import schemas as s
from ..access import PageQuery, committee_for, get_in, paginate, require

router = Router(tags=["承办单位"])

ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


@router.get("/committees/{code}/departments", response={200: s.Page[s.DepartmentOut], **ERRORS})
def list_departments(request, code: str, page: PageQuery, kind: str | None = None, is_active: bool | None = None,
                     q: str | None = None):
    committee = committee_for(request, code, "org.view_department")
    departments = Department.objects.filter(committee=committee)
    if kind:
        departments = departments.filter(kind=kind)
    if is_active is not None:
        departments = departments.filter(is_active=is_active)
    if q:
        departments = departments.filter(name__icontains=q)
    return paginate(departments.order_by("kind", "id"), page)


@router.get("/committees/{code}/departments/{department_id}", response={200: s.DepartmentOut, **ERRORS})
def get_department(request, code: str, department_id: int):
    committee = committee_for(request, code, "org.view_department")
    return get_in(committee, Department.objects, department_id)


@router.post("/committees/{code}/departments", response={201: s.DepartmentOut, **ERRORS})
def create_department(request, code: str, payload: s.DepartmentIn):
    committee = committee_for(request, code, "org.change_department")
    return 201, actions.do_create_department(committee, payload.dict(), actor=request.auth)


@router.patch("/committees/{code}/departments/{department_id}", response={200: s.DepartmentOut, **ERRORS})
def update_department(request, code: str, department_id: int, payload: s.DepartmentPatch):
    committee = committee_for(request, code)
    department = get_in(committee, Department.objects, department_id)
    require(request, "org.change_department", department)
    return actions.do_update_department(department, payload.dict(exclude_unset=True), actor=request.auth)


def _staff_out(post, with_phone):
    user = post.user
    return {
        "id": post.pk, "username": user.username, "full_name": user.get_full_name(), "tier": post.tier,
        "phone": post.phone if with_phone else None,
    }


@router.get("/committees/{code}/departments/{department_id}/staff", response={200: list[s.StaffOut], **ERRORS})
def list_staff(request, code: str, department_id: int):
    committee = committee_for(request, code, "org.view_department")
    department = get_in(committee, Department.objects, department_id)
    user = request.auth
    with_phone = user.has_perm("org.view_member_contacts", committee) or user.has_perm(
        "org.manage_department_staff", department
    )
    posts = DepartmentStaff.objects.filter(department=department).select_related("user").order_by("tier", "id")
    return [_staff_out(p, with_phone) for p in posts]


@router.post("/committees/{code}/departments/{department_id}/staff", response={201: s.StaffOut, **ERRORS})
def add_staff(request, code: str, department_id: int, payload: s.StaffIn):
    committee = committee_for(request, code)
    department = get_in(committee, Department.objects, department_id)
    require(request, "org.manage_department_staff", department)
    user = get_user_model().objects.filter(username=payload.username).first()
    if user is None:
        raise ValidationError({"username": [_("该账号不存在。")]})
    post = actions.do_add_department_staff(department, user, payload.tier, phone=payload.phone, actor=request.auth)
    return 201, _staff_out(post, True)


@router.delete("/committees/{code}/departments/{department_id}/staff/{staff_id}",
               response={204: None, **ERRORS})
def remove_staff(request, code: str, department_id: int, staff_id: int):
    committee = committee_for(request, code)
    department = get_in(committee, Department.objects, department_id)
    post = DepartmentStaff.objects.filter(department=department, pk=staff_id).select_related("user").first()
    if post is None:
        raise Http404
    require(request, "org.manage_department_staff", department)
    actions.do_remove_department_staff(post, actor=request.auth)
    return 204, None
