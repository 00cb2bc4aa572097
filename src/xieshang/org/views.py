"""Organisation pages under /c/<committee code>/org/.

Each view fetches and authorises with :func:`get_committee_for` (404 for an unknown committee, 403 without the
permission), looks objects up inside that committee only (404 otherwise), validates with a form and writes
through an action in ``org.actions``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core import timeline

from . import actions, forms, imports, settings_registry
from .models import (
    Committee,
    CommitteeSetting,
    Department,
    DepartmentStaff,
    ImportJob,
    LiaisonGroup,
    Member,
    RoleGrant,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

MEMBERS_PER_PAGE = 50


def get_committee_for(request, code, perm):
    """The committee named by ``code`` if ``request.user`` holds ``perm`` on it; 404 if it does not exist."""
    committee = get_object_or_404(Committee, code=code)
    if not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return committee


def _edit_copy(obj):
    """A fresh copy of ``obj`` for a form to validate against, leaving ``obj`` untouched for the action's diff."""
    return type(obj).objects.get(pk=obj.pk)


def _save_form(request, form, write, success_message):
    """Run ``write(cleaned_data)`` if ``form`` is valid; show an action's ValidationError on the form.

    Returns the action's result, or None when nothing was written.
    """
    if not form.is_valid():
        return None
    try:
        result = write(form.cleaned_data)
    except ValidationError as exc:
        forms.add_action_errors(form, exc)
        return None
    messages.success(request, success_message)
    return result


def _post(request):
    """The submitted data of a POST (bound even when empty, so missing fields are reported), else None."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request):
    """An htmx request for a fragment (not htmx restoring a page from history, which needs the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def _render_list(request, template, fragment, context):
    """The whole page, or only its results ``fragment`` for an htmx filter request; caches keep them apart."""
    response = render(request, fragment if _is_htmx(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------------------------------------------------------
# Home


@login_required
def home(request, committee):
    committee = get_committee_for(request, committee, "org.view_committee")
    user = request.user
    members = Member.objects.filter(committee=committee).aggregate(
        active=Count("pk", filter=Q(status=Member.Status.ACTIVE)),
        standing=Count("pk", filter=Q(status=Member.Status.ACTIVE, is_standing=True)),
        total=Count("pk"),
    )
    counts = {
        "members": members,
        "sectors": Sector.objects.filter(committee=committee).count(),
        "special_committees": SpecialCommittee.objects.filter(committee=committee).count(),
        "liaison_groups": LiaisonGroup.objects.filter(committee=committee).count(),
        "departments": Department.objects.filter(committee=committee, is_active=True).count(),
    }
    context = {
        "committee": committee,
        "counts": counts,
        "current_term": Term.objects.filter(committee=committee, is_current=True).first(),
        "children": committee.children.all(),
        "can": {
            "structure": user.has_perm("org.view_structure", committee),
            "directory": user.has_perm("org.view_member_directory", committee),
            "departments": user.has_perm("org.view_department", committee),
            "roles": user.has_perm("org.manage_roles", committee),
            "settings": user.has_perm("org.change_settings", committee),
            "dictionary": user.has_perm("search.manage_dictionary", committee),
            "import_members": user.has_perm("org.import_members", committee),
            "import_departments": user.has_perm("org.import_departments", committee),
        },
    }
    return render(request, "org/home.html", context)


# ---------------------------------------------------------------------------------------------------------------
# Terms and sessions


@login_required
def term_list(request, committee):
    committee = get_committee_for(request, committee, "org.view_structure")
    terms = Term.objects.filter(committee=committee).prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("number"))
    )
    return render(request, "org/term_list.html", {
        "committee": committee, "terms": terms,
        "can_change": request.user.has_perm("org.change_structure", committee),
    })


@login_required
def term_edit(request, committee, pk=None):
    committee = get_committee_for(request, committee, "org.change_structure")
    term = get_object_or_404(Term, pk=pk, committee=committee) if pk else None
    instance = _edit_copy(term) if term else Term(committee=committee)
    form = forms.TermForm(_post(request), instance=instance)
    if request.method == "POST":
        if term:
            done = _save_form(request, form, lambda d: actions.do_update_term(term, d, actor=request.user),
                              _("届次已保存。"))
        else:
            done = _save_form(request, form, lambda d: actions.do_create_term(committee, d, actor=request.user),
                              _("届次已新建。"))
        if done:
            return redirect("org:term_list", committee.code)
    title = _("修改届次") if term else _("新建届次")
    return _form_page(request, committee, form, title, reverse("org:term_list", args=[committee.code]))


@login_required
@require_POST
def term_set_current(request, committee, pk):
    committee = get_committee_for(request, committee, "org.change_structure")
    term = get_object_or_404(Term, pk=pk, committee=committee)
    actions.do_set_current_term(term, actor=request.user)
    messages.success(request, _("已将%(term)s设为本届。") % {"term": term})
    return redirect("org:term_list", committee.code)


@login_required
def session_edit(request, committee, term_pk=None, pk=None):
    committee = get_committee_for(request, committee, "org.change_structure")
    if pk:
        session = get_object_or_404(Session.objects.select_related("term"), pk=pk, term__committee=committee)
        term = session.term
        instance = _edit_copy(session)
    else:
        session = None
        term = get_object_or_404(Term, pk=term_pk, committee=committee)
        instance = Session(term=term)
    form = forms.SessionForm(_post(request), instance=instance)
    if request.method == "POST":
        if session:
            done = _save_form(request, form, lambda d: actions.do_update_session(session, d, actor=request.user),
                              _("会次已保存。"))
        else:
            done = _save_form(request, form, lambda d: actions.do_create_session(term, d, actor=request.user),
                              _("会次已新建。"))
        if done:
            return redirect("org:term_list", committee.code)
    title = (_("修改会次：%(term)s") if session else _("新建会次：%(term)s")) % {"term": term}
    return _form_page(request, committee, form, title, reverse("org:term_list", args=[committee.code]))


def _form_page(request, committee, form, title, back_url, *, multipart=False, intro=""):
    return render(request, "org/form.html", {
        "committee": committee, "form": form, "title": title, "back_url": back_url, "multipart": multipart,
        "intro": intro,
    })


# ---------------------------------------------------------------------------------------------------------------
# Sectors, special committees, liaison groups: one set of views over a small table of kinds.

STRUCTURES = {
    "sectors": {
        "model": Sector, "form": forms.SectorForm, "member_field": "sector",
        "title": gettext_lazy("界别"), "new": gettext_lazy("新建界别"), "edit": gettext_lazy("修改界别"),
        "create": actions.do_create_sector, "update": actions.do_update_sector,
        "columns": [("name", gettext_lazy("名称")), ("order", gettext_lazy("排序"))],
    },
    "special-committees": {
        "model": SpecialCommittee, "form": forms.SpecialCommitteeForm, "member_field": "special_committee",
        "title": gettext_lazy("专委会"), "new": gettext_lazy("新建专委会"), "edit": gettext_lazy("修改专委会"),
        "create": actions.do_create_special_committee, "update": actions.do_update_special_committee,
        "columns": [("name", gettext_lazy("名称")), ("short_name", gettext_lazy("简称")), ("order", gettext_lazy("排序"))],
    },
    "liaison-groups": {
        "model": LiaisonGroup, "form": forms.LiaisonGroupForm, "member_field": "liaison_group",
        "title": gettext_lazy("联络组"), "new": gettext_lazy("新建联络组"), "edit": gettext_lazy("修改联络组"),
        "create": actions.do_create_liaison_group, "update": actions.do_update_liaison_group,
        "columns": [("name", gettext_lazy("名称")), ("get_area_display", gettext_lazy("所在")),
                    ("leader_name", gettext_lazy("组长")), ("contact_phone", gettext_lazy("联系电话")),
                    ("order", gettext_lazy("排序"))],
    },
}


@login_required
def structure_list(request, committee, kind):
    spec = STRUCTURES[kind]
    committee = get_committee_for(request, committee, "org.view_structure")
    member_filter = Q(member__status=Member.Status.ACTIVE)
    items = spec["model"].objects.filter(committee=committee).annotate(member_count=Count("member", filter=member_filter))
    rows = [{"obj": item, "cells": [_cell(item, attr) for attr, _label in spec["columns"]]} for item in items]
    return render(request, "org/structure_list.html", {
        "committee": committee, "kind": kind, "spec": spec, "rows": rows,
        "can_change": request.user.has_perm("org.change_structure", committee),
    })


def _cell(obj, attr):
    value = getattr(obj, attr)
    return value() if callable(value) else value


@login_required
def structure_edit(request, committee, kind, pk=None):
    spec = STRUCTURES[kind]
    committee = get_committee_for(request, committee, "org.change_structure")
    obj = get_object_or_404(spec["model"], pk=pk, committee=committee) if pk else None
    form = spec["form"](_post(request), instance=_edit_copy(obj) if obj else spec["model"](committee=committee))
    if request.method == "POST":
        if obj:
            done = _save_form(request, form, lambda d: spec["update"](obj, d, actor=request.user), _("已保存。"))
        else:
            done = _save_form(request, form, lambda d: spec["create"](committee, d, actor=request.user), _("已新建。"))
        if done:
            return redirect("org:structure_list", committee.code, kind)
    title = spec["edit"] if obj else spec["new"]
    return _form_page(request, committee, form, title, reverse("org:structure_list", args=[committee.code, kind]))


# ---------------------------------------------------------------------------------------------------------------
# Members


@login_required
def member_list(request, committee):
    """The directory, filterable; a fixed number of queries whatever the page size."""
    committee = get_committee_for(request, committee, "org.view_member_directory")
    user = request.user
    filters = forms.MemberFilterForm(committee, request.GET or None)
    members = filters.filter(
        Member.objects.filter(committee=committee).select_related("sector", "special_committee", "liaison_group", "term")
    ).order_by("sector__order", "sector__id", "id")
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "committee": committee, "filters": filters, "page_obj": page, "query_string": query.urlencode(),
        "show_contacts": user.has_perm("org.view_member_contacts", committee),
        "can_change": user.has_perm("org.change_member", committee),
        "can_import": user.has_perm("org.import_members", committee),
    }
    return _render_list(request, "org/member_list.html", "org/member_results.html", context)


def _get_member(request, committee, pk, perm):
    committee = get_committee_for(request, committee, perm)
    member = get_object_or_404(
        Member.objects.select_related("sector", "special_committee", "liaison_group", "term", "user"),
        pk=pk, committee=committee,
    )
    return committee, member


@login_required
def member_detail(request, committee, pk):
    committee, member = _get_member(request, committee, pk, "org.view_member_directory")
    user = request.user
    can_change = user.has_perm("org.change_member", committee)
    return render(request, "org/member_detail.html", {
        "committee": committee, "member": member,
        "show_contacts": user.has_perm("org.view_member_contacts", committee),
        "can_change": can_change,
        "account_form": forms.MemberAccountForm() if can_change and member.user_id is None else None,
        # The history names who changed what; it is for the office that edits the record and the auditors.
        "timeline": timeline.for_object(member, user) if can_change or user.has_perm("core.view_audit", committee)
        else None,
    })


@login_required
def member_edit(request, committee, pk=None):
    if pk:
        committee, member = _get_member(request, committee, pk, "org.change_member")
        instance = _edit_copy(member)
    else:
        committee = get_committee_for(request, committee, "org.change_member")
        member = None
        instance = Member(committee=committee, term=Term.objects.filter(committee=committee, is_current=True).first())
    form = forms.MemberForm(committee, _post(request), instance=instance)
    if request.method == "POST":
        if member:
            done = _save_form(request, form, lambda d: actions.do_update_member(member, d, actor=request.user),
                              _("委员信息已保存。"))
        else:
            done = _save_form(request, form, lambda d: actions.do_create_member(committee, d, actor=request.user),
                              _("委员已新增。"))
        if done:
            return redirect("org:member_detail", committee.code, done.pk)
    title = _("修改委员信息：%(name)s") % {"name": member.name} if member else _("新增委员")
    back = reverse("org:member_detail", args=[committee.code, member.pk]) if member else reverse(
        "org:member_list", args=[committee.code])
    return _form_page(request, committee, form, title, back)


@login_required
def member_account(request, committee, pk):
    committee, member = _get_member(request, committee, pk, "org.change_member")
    if member.user_id is not None:
        messages.info(request, _("该委员已关联登录账号。"))
        return redirect("org:member_detail", committee.code, member.pk)
    form = forms.MemberAccountForm(_post(request))
    if request.method == "POST":
        done = _save_form(
            request, form,
            lambda d: actions.do_create_member_account(member, d["username"], password=d["password"] or None,
                                                       actor=request.user),
            _("已为该委员创建登录账号。"),
        )
        if done:
            return redirect("org:member_detail", committee.code, member.pk)
    title = _("为委员创建登录账号：%(name)s") % {"name": member.name}
    return _form_page(request, committee, form, title, reverse("org:member_detail", args=[committee.code, member.pk]))


# ---------------------------------------------------------------------------------------------------------------
# Departments and their staff


@login_required
def department_list(request, committee):
    committee = get_committee_for(request, committee, "org.view_department")
    kind = request.GET.get("kind", "")
    departments = Department.objects.filter(committee=committee).annotate(staff_count=Count("staff"))
    if kind in Department.Kind.values:
        departments = departments.filter(kind=kind)
    else:
        kind = ""
    labels = dict(Department.Kind.choices)
    groups = {}
    for department in departments.order_by("kind", "name"):
        groups.setdefault(department.kind, []).append(department)
    grouped = [(labels[k], groups[k]) for k in Department.Kind.values if k in groups]
    context = {
        "committee": committee, "grouped": grouped, "kind": kind, "kinds": Department.Kind.choices,
        "can_change": request.user.has_perm("org.change_department", committee),
        "can_import": request.user.has_perm("org.import_departments", committee),
    }
    return _render_list(request, "org/department_list.html", "org/department_results.html", context)


def _get_department(request, committee, pk, perm):
    committee = get_committee_for(request, committee, "org.view_department")
    department = get_object_or_404(Department, pk=pk, committee=committee)
    if not request.user.has_perm(perm, department):
        raise PermissionDenied
    return committee, department


@login_required
def department_detail(request, committee, pk):
    committee, department = _get_department(request, committee, pk, "org.view_department")
    staff = department.staff.select_related("user").order_by("tier", "id")
    tiers = [(value, label, [s for s in staff if s.tier == value]) for value, label in DepartmentStaff.Tier.choices]
    user = request.user
    can_change = user.has_perm("org.change_department", department)
    return render(request, "org/department_detail.html", {
        "committee": committee, "department": department, "tiers": tiers,
        "can_change": can_change,
        "can_manage_staff": user.has_perm("org.manage_department_staff", department),
        "timeline": timeline.for_object(department, user)
        if can_change or user.has_perm("core.view_audit", committee) else None,
    })


@login_required
def department_edit(request, committee, pk=None):
    if pk:
        committee, department = _get_department(request, committee, pk, "org.change_department")
        instance = _edit_copy(department)
    else:
        committee = get_committee_for(request, committee, "org.change_department")
        department = None
        instance = Department(committee=committee)
    form = forms.DepartmentForm(_post(request), instance=instance)
    if request.method == "POST":
        if department:
            done = _save_form(request, form, lambda d: actions.do_update_department(department, d, actor=request.user),
                              _("承办单位已保存。"))
        else:
            done = _save_form(request, form, lambda d: actions.do_create_department(committee, d, actor=request.user),
                              _("承办单位已新增。"))
        if done:
            return redirect("org:department_detail", committee.code, done.pk)
    title = _("修改承办单位：%(name)s") % {"name": department.name} if department else _("新增承办单位")
    back = reverse("org:department_detail", args=[committee.code, department.pk]) if department else reverse(
        "org:department_list", args=[committee.code])
    return _form_page(request, committee, form, title, back)


@login_required
def staff_add(request, committee, pk):
    committee, department = _get_department(request, committee, pk, "org.manage_department_staff")
    form = forms.StaffForm(_post(request))
    if request.method == "POST":
        def write(d):
            if d["mode"] == forms.StaffForm.MODE_NEW:
                return actions.do_add_department_staff_account(
                    department, d["username"], d["tier"], full_name=d["full_name"], password=d["password"] or None,
                    phone=d["phone"], actor=request.user,
                )
            return actions.do_add_department_staff(department, d["user"], d["tier"], phone=d["phone"],
                                                   actor=request.user)

        if _save_form(request, form, write, _("已添加承办单位人员。")):
            return redirect("org:department_detail", committee.code, department.pk)
    title = _("添加人员：%(name)s") % {"name": department.name}
    return _form_page(request, committee, form, title,
                      reverse("org:department_detail", args=[committee.code, department.pk]))


@login_required
@require_POST
def staff_remove(request, committee, pk):
    committee = get_committee_for(request, committee, "org.view_department")
    post = get_object_or_404(DepartmentStaff.objects.select_related("department", "user"), pk=pk,
                             department__committee=committee)
    if not request.user.has_perm("org.manage_department_staff", post.department):
        raise PermissionDenied
    actions.do_remove_department_staff(post, actor=request.user)
    messages.success(request, _("已移除承办单位人员。"))
    return redirect("org:department_detail", committee.code, post.department_id)


# ---------------------------------------------------------------------------------------------------------------
# Roles and settings


@login_required
def role_list(request, committee):
    committee = get_committee_for(request, committee, "org.manage_roles")
    form = forms.RoleGrantForm(_post(request))
    if request.method == "POST":
        done = _save_form(
            request, form,
            lambda d: actions.do_grant_role(d["user"], committee, d["role"], actor=request.user),
            _("已授予角色。"),
        )
        if done:
            return redirect("org:role_list", committee.code)
    grants = RoleGrant.objects.filter(committee=committee).select_related("user").order_by("role", "user__username")
    return render(request, "org/role_list.html", {"committee": committee, "grants": grants, "form": form})


@login_required
@require_POST
def role_revoke(request, committee, pk):
    committee = get_committee_for(request, committee, "org.manage_roles")
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=pk, committee=committee)
    actions.do_revoke_role(grant, actor=request.user)
    messages.success(request, _("已撤销角色。"))
    return redirect("org:role_list", committee.code)


@login_required
def committee_settings(request, committee):
    committee = get_committee_for(request, committee, "org.change_settings")
    current = dict(CommitteeSetting.objects.filter(committee=committee).values_list("key", "value"))
    form = forms.SettingsForm(current, _post(request))
    if request.method == "POST":
        def write(d):
            changed = {k: d[k] for k in settings_registry.REGISTRY if k in d}
            return actions.do_change_settings(committee, changed, actor=request.user) or True

        if _save_form(request, form, write, _("本会设置已保存。")):
            return redirect("org:settings", committee.code)
    return render(request, "org/settings.html", {"committee": committee, "form": form})


# ---------------------------------------------------------------------------------------------------------------
# Imports

IMPORT_KINDS = {
    "members": (ImportJob.Kind.MEMBERS, "org.import_members", imports.import_members),
    "departments": (ImportJob.Kind.DEPARTMENTS, "org.import_departments", imports.import_departments),
}


def _import_kind(kind):
    if kind not in IMPORT_KINDS:
        raise Http404
    return IMPORT_KINDS[kind]


@login_required
def import_upload(request, committee, kind):
    job_kind, perm, run = _import_kind(kind)
    committee = get_committee_for(request, committee, perm)
    form = forms.ImportForm(_post(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = run(committee, upload, upload.name, actor=request.user)
        if result.ok:
            messages.success(request, _("导入成功，共新增 %(n)d 条记录。") % {"n": result.created})
        else:
            messages.error(request, _("导入失败，未写入任何数据。请按下列原因修改后重新上传。"))
        return redirect("org:import_detail", committee.code, result.job.pk)
    jobs = ImportJob.objects.filter(committee=committee, kind=job_kind).select_related("created_by")[:20]
    return render(request, "org/import_upload.html", {
        "committee": committee, "form": form, "kind": kind, "kind_label": ImportJob.Kind(job_kind).label,
        "columns": imports.COLUMNS[job_kind], "jobs": jobs,
    })


@login_required
def import_template(request, committee, kind):
    job_kind, perm, _run = _import_kind(kind)
    committee = get_committee_for(request, committee, perm)
    response = HttpResponse(
        imports.template_workbook(job_kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="xieshang-{kind}-template.xlsx"'
    return response


@login_required
def import_detail(request, committee, pk):
    committee = get_committee_for(request, committee, "org.view_imports")
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk, committee=committee)
    kind = "members" if job.kind == ImportJob.Kind.MEMBERS else "departments"
    can_resolve = (job.status == ImportJob.Status.FAILED and not job.resolved
                   and request.user.has_perm(IMPORT_KINDS[kind][1], committee))
    return render(request, "org/import_detail.html", {
        "committee": committee, "job": job, "kind": kind, "can_resolve": can_resolve,
    })


@login_required
@require_POST
def import_resolve(request, committee, pk):
    committee = get_committee_for(request, committee, "org.view_imports")
    job = get_object_or_404(ImportJob, pk=pk, committee=committee)
    kind = "members" if job.kind == ImportJob.Kind.MEMBERS else "departments"
    if not request.user.has_perm(IMPORT_KINDS[kind][1], committee):
        raise PermissionDenied
    actions.do_resolve_import(job, actor=request.user)
    messages.success(request, _("已标记为已处理，不再显示在待办中。"))
    return redirect("org:import_detail", committee.code, job.pk)


# ---------------------------------------------------------------------------------------------------------------
# Deployment-wide committee management (system administrator), mounted at /committees/


@login_required
def committee_list(request):
    if not request.user.has_perm("org.change_committee"):
        raise PermissionDenied
    committees = Committee.objects.select_related("parent").annotate(member_count=Count("member", distinct=True))
    return render(request, "org/committee_list.html", {
        "committees": committees, "can_add": request.user.has_perm("org.add_committee"),
    })


@login_required
def committee_edit(request, pk=None):
    if not request.user.has_perm("org.change_committee" if pk else "org.add_committee"):
        raise PermissionDenied
    committee = get_object_or_404(Committee, pk=pk) if pk else None
    form = forms.CommitteeForm(_post(request), instance=_edit_copy(committee) if committee else Committee())
    if request.method == "POST":
        if committee:
            done = _save_form(request, form, lambda d: actions.do_update_committee(committee, d, actor=request.user),
                              _("政协组织已保存。"))
        else:
            done = _save_form(request, form, lambda d: actions.do_create_committee(d, actor=request.user),
                              _("政协组织已新建。"))
        if done:
            return redirect("committees:list")
    title = _("修改政协组织：%(name)s") % {"name": committee.name} if committee else _("新建政协组织")
    return _form_page(request, None, form, title, reverse("committees:list"))
