"""Every write to the organisation goes through these functions (pages, API, imports, demo alike).

Each is an action (:func:`xieshang.core.audit.action`): one transaction, one audit group, and the
changed values recorded. Validation errors raise ``django.core.exceptions.ValidationError`` before
anything is written.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xieshang.core import audit
from xieshang.core.audit import action

from . import roles
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
from .settings_registry import REGISTRY

EDITABLE_FIELDS = {
    Committee: ["code", "name", "short_name", "level", "parent", "address", "phone"],
    Term: ["number", "start_date", "end_date", "is_current"],
    Session: ["number", "year", "plenary_start", "plenary_end", "proposal_window_start", "proposal_window_end"],
    Sector: ["name", "order"],
    SpecialCommittee: ["name", "short_name", "order"],
    LiaisonGroup: ["name", "area", "leader_name", "contact_phone", "order"],
    Member: [
        "member_no", "name", "gender", "ethnicity", "birth_date", "party", "term", "sector", "special_committee",
        "liaison_group", "is_standing", "unit", "post", "mobile", "phone", "email", "address", "status", "user",
    ],
    Department: ["name", "short_name", "kind", "contact_name", "contact_phone", "address", "is_active"],
    DepartmentStaff: ["tier", "phone"],
}

_VERB_NAMES = {
    Committee: "committee", Term: "term", Session: "session", Sector: "sector",
    SpecialCommittee: "special_committee", LiaisonGroup: "liaison_group", Member: "member",
    Department: "department", DepartmentStaff: "department_staff",
}


def _check_same_committee(obj):
    """Foreign keys of an organisation row must point inside its own committee."""
    committee_id = getattr(obj, "committee_id", None)
    if committee_id is None:
        return
    for field in ("term", "sector", "special_committee", "liaison_group"):
        related = getattr(obj, field, None) if hasattr(obj, field) else None
        if related is not None and related.committee_id != committee_id:
            raise ValidationError({field: _("不能引用其他政协组织的数据。")})


def _save(obj, data, *, creating):
    """Apply ``data`` to ``obj``, validate, save, and audit the change. Returns ``obj``."""
    model = type(obj)
    fields = EDITABLE_FIELDS[model]
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationError(_("未知字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = {} if creating else audit.snapshot(obj, fields)
    for name, value in data.items():
        setattr(obj, name, value)
    _check_same_committee(obj)
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(_("与已有记录重复。")) from exc
    after = audit.snapshot(obj, fields)
    changes = audit.diff(before, after)
    verb = f"org.{_VERB_NAMES[model]}_{'created' if creating else 'updated'}"
    if creating or changes:
        audit.record(verb, obj, changes=changes)
    return obj


@action
def do_create_committee(data, *, actor):
    if data.get("parent") is not None and data.get("level") == Committee.Level.NATIONAL:
        raise ValidationError({"parent": _("全国政协没有上级组织。")})
    return _save(Committee(), data, creating=True)


@action
def do_update_committee(committee, data, *, actor):
    parent = data.get("parent", committee.parent)
    if parent is not None and (parent == committee or committee in parent.ancestors()):
        raise ValidationError({"parent": _("上级组织不能是本组织或其下级。")})
    return _save(committee, data, creating=False)


def _create_in(model):
    @action
    def create(committee, data, *, actor):
        return _save(model(committee=committee), data, creating=True)

    create.__name__ = f"do_create_{_VERB_NAMES[model]}"
    create.__doc__ = f"Create a {model.__name__} in ``committee`` from a dict of its editable fields."
    return create


def _update(model):
    @action
    def update(obj, data, *, actor):
        return _save(obj, data, creating=False)

    update.__name__ = f"do_update_{_VERB_NAMES[model]}"
    update.__doc__ = f"Change the editable fields of a {model.__name__}."
    return update


do_create_term = _create_in(Term)
do_update_term = _update(Term)
do_create_sector = _create_in(Sector)
do_update_sector = _update(Sector)
do_create_special_committee = _create_in(SpecialCommittee)
do_update_special_committee = _update(SpecialCommittee)
do_create_liaison_group = _create_in(LiaisonGroup)
do_update_liaison_group = _update(LiaisonGroup)
do_create_member = _create_in(Member)
do_update_member = _update(Member)
do_create_department = _create_in(Department)
do_update_department = _update(Department)
do_update_session = _update(Session)
do_update_department_staff = _update(DepartmentStaff)


@action
def do_create_session(term, data, *, actor):
    return _save(Session(term=term), data, creating=True)


@action
def do_set_current_term(term, *, actor):
    """Make ``term`` the committee's current term (届), and no other."""
    previous = list(Term.objects.filter(committee=term.committee, is_current=True).exclude(pk=term.pk))
    for other in previous:
        _save(other, {"is_current": False}, creating=False)
    return _save(term, {"is_current": True}, creating=False)


def _ensure_user(username, *, full_name="", email="", password=None):
    """Find or create a login account; a new one gets ``password`` or an unusable one."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=full_name[:150], email=email)
        user.full_clean(exclude=["password"])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        audit.record("org.user_created", user, changes={"username": [None, username], "name": [None, full_name]})
    return user


@action
def do_create_account(username, *, full_name="", email="", password=None, actor):
    """Create a login account (validated like any other input)."""
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError({"username": _("该用户名已存在。")})
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password)
    return _ensure_user(username, full_name=full_name, email=email, password=password)


@action
def do_add_department_staff(department, user, tier, *, phone="", actor):
    """Give ``user`` a post in ``department`` at ``tier`` (分管领导/办公室/经办人)."""
    if DepartmentStaff.objects.filter(department=department, user=user).exists():
        raise ValidationError(_("该账号已是本单位人员。"))
    post = DepartmentStaff(department=department, user=user, tier=tier, phone=phone)
    post.full_clean(validate_unique=False)
    post.save()
    audit.record("org.department_staff_added", post, changes={"user": [None, user.username], "tier": [None, tier]})
    roles.forget(user)
    return post


@action
def do_remove_department_staff(post, *, actor):
    audit.record("org.department_staff_removed", post, changes={"user": [post.user.username, None], "tier": [post.tier, None]})
    post.delete()
    roles.forget(post.user)


@action
def do_grant_role(user, committee, role, *, actor):
    """Grant a committee role. Only a system administrator grants the system administrator role."""
    if role not in RoleGrant.Role.values:
        raise ValidationError(_("未知角色：%(role)s") % {"role": role})
    if role == RoleGrant.Role.SYSADMIN:
        if actor is not None and not roles.is_sysadmin(actor):
            raise PermissionDenied(_("只有系统管理员可以授予系统管理员角色。"))
        committee = None
    elif committee is None:
        raise ValidationError(_("该角色须指定政协组织。"))
    grant, created = RoleGrant.objects.get_or_create(user=user, committee=committee, role=role)
    if created:
        audit.record("org.role_granted", grant, changes={"user": [None, user.username], "role": [None, role]})
    roles.forget(user)
    return grant


@action
def do_revoke_role(grant, *, actor):
    if grant.role == RoleGrant.Role.SYSADMIN and actor is not None and not roles.is_sysadmin(actor):
        raise PermissionDenied(_("只有系统管理员可以撤销系统管理员角色。"))
    audit.record("org.role_revoked", grant, changes={"user": [grant.user.username, None], "role": [grant.role, None]})
    grant.delete()
    roles.forget(grant.user)


@action
def do_change_setting(committee, key, raw_value, *, actor):
    """Set a per-committee local rule after validating it against its declaration."""
    definition = REGISTRY.get(key)
    if definition is None:
        raise ValidationError(_("未知设置项：%(key)s") % {"key": key})
    value = definition.clean(raw_value)
    row = CommitteeSetting.objects.filter(committee=committee, key=key).first()
    old = row.value if row else definition.default
    if row is None:
        row = CommitteeSetting(committee=committee, key=key, value=value)
    row.value = value
    row.save()
    if old != value:
        audit.record("org.setting_changed", committee, changes={key: [old, value]})
    return row


@action
def do_record_import(committee, kind, filename, *, status, row_count, errors, actor):
    """Keep the outcome of an import; a failed one stays on the uploader's to-do list until resolved."""
    job = ImportJob.objects.create(
        committee=committee, kind=kind, filename=filename[:200], status=status,
        row_count=row_count, errors=errors, created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(f"org.import_{status}", job, changes={"rows": [None, row_count], "errors": [None, len(errors)]})
    return job


@action
def do_resolve_import(job, *, actor):
    if not job.resolved:
        job.resolved = True
        job.save(update_fields=["resolved"])
        audit.record("org.import_resolved", job, changes={"resolved": [False, True]})
    return job


@action
def do_change_settings(committee, values, *, actor):
    """Set several local rules at once ({key: raw value}) as one user action; all or none are applied."""
    return [do_change_setting(committee, key, raw, actor=actor) for key, raw in values.items()]


@action
def do_create_member_account(member, username, *, full_name="", email="", password=None, actor):
    """Create a login account named ``username`` and link it to ``member`` (one user action).

    Raises ValidationError if the member already has an account or the username is taken.
    """
    if member.user_id is not None:
        raise ValidationError(_("该委员已关联登录账号。"))
    user = do_create_account(
        username, full_name=full_name or member.name, email=email or member.email, password=password, actor=actor
    )
    _save(member, {"user": user}, creating=False)
    roles.forget(user)
    return user


@action
def do_add_department_staff_account(department, username, tier, *, full_name="", email="", password=None,
                                    phone="", actor):
    """Create a login account and give it a post in ``department`` at ``tier`` (one user action)."""
    user = do_create_account(username, full_name=full_name, email=email, password=password, actor=actor)
    return do_add_department_staff(department, user, tier, phone=phone, actor=actor)


_IMPORT_CREATORS = {
    ImportJob.Kind.MEMBERS: lambda committee, data, actor: do_create_member(committee, data, actor=actor),
    ImportJob.Kind.DEPARTMENTS: lambda committee, data, actor: do_create_department(committee, data, actor=actor),
}


@action
def do_apply_import(committee, kind, filename, rows, *, actor):
    """Create every row of a validated import and record an applied ImportJob, as one user action.

    ``rows`` is a list of ``(row_number, data)`` where ``data`` holds editable fields of the kind's model.
    If any row fails validation here, the ValidationError raised has a ``row`` attribute (its row number)
    and nothing is written (the whole transaction rolls back). Returns the ImportJob.
    """
    create = _IMPORT_CREATORS[kind]
    for row_number, data in rows:
        try:
            create(committee, data, actor)
        except ValidationError as exc:
            error = ValidationError(exc.messages)
            error.row = row_number
            raise error from exc
    return do_record_import(committee, kind, filename, status=ImportJob.Status.APPLIED, row_count=len(rows),
                            errors=[], actor=actor)


# ---------------------------------------------------------------------------------------------------------------
# 特邀信息员 (appointed informants): appointed by the committee office, report 社情民意 without being members.

from django.utils.translation import gettext_lazy  # noqa: E402

from xieshang.core import verbs as _verbs  # noqa: E402

from .models import Informant  # noqa: E402

EDITABLE_FIELDS[Informant] = ["name", "unit", "post", "mobile", "appointed_on", "ends_on", "is_active", "user"]
_VERB_NAMES[Informant] = "informant"
_verbs.register_many({
    "org.informant_created": gettext_lazy("聘任了特邀信息员"),
    "org.informant_updated": gettext_lazy("修改了特邀信息员信息"),
})


def _check_informant(committee, data, *, actor, informant=None):
    """Permission and the rules a form cannot see: the appointment period and one post per account."""
    if actor is not None and not actor.has_perm("org.change_informant", committee):
        raise PermissionDenied(_("您没有管理特邀信息员的权限。"))
    appointed = data.get("appointed_on", informant.appointed_on if informant else None)
    ends = data.get("ends_on", informant.ends_on if informant else None)
    if appointed and ends and ends < appointed:
        raise ValidationError({"ends_on": _("聘期截止日期不能早于聘任日期。")})
    user = data.get("user")
    if user is not None:
        taken = Informant.objects.filter(committee=committee, user=user)
        if informant is not None:
            taken = taken.exclude(pk=informant.pk)
        if taken.exists():
            raise ValidationError({"user": _("该账号已关联本会其他特邀信息员。")})


@action
def do_create_informant(committee, data, *, actor):
    """Appoint an informant in ``committee`` from a dict of the editable fields (``org.change_informant``)."""
    _check_informant(committee, data, actor=actor)
    informant = _save(Informant(committee=committee), data, creating=True)
    if informant.user_id:
        roles.forget(informant.user)
    return informant


@action
def do_update_informant(informant, data, *, actor):
    """Change an informant's record: contacts, appointment period, active flag or linked account."""
    _check_informant(informant.committee, data, actor=actor, informant=informant)
    previous_user = informant.user
    informant = _save(informant, data, creating=False)
    for user in {previous_user, informant.user} - {None}:
        roles.forget(user)
    return informant


@action
def do_create_informant_account(informant, username, *, email="", password=None, actor):
    """Create a login account named ``username`` and link it to ``informant`` (one user action)."""
    if actor is not None and not actor.has_perm("org.change_informant", informant.committee):
        raise PermissionDenied(_("您没有管理特邀信息员的权限。"))
    if informant.user_id is not None:
        raise ValidationError(_("该特邀信息员已关联登录账号。"))
    user = do_create_account(username, full_name=informant.name, email=email, password=password, actor=actor)
    _save(informant, {"user": user}, creating=False)
    roles.forget(user)
    return user
