"""Who holds which role where. Roles are per committee; see docs/architecture.md, "Roles".

Members hold ``member`` through an active ``Member`` row linked to their account, appointed informants
(特邀信息员) hold ``informant`` through an active ``Informant`` row; department staff hold
``dept_leader`` (分管领导) or ``dept_handler`` (办公室, 经办人) through ``DepartmentStaff``; every other role is a
``RoleGrant``. The system administrator's grant has no committee and counts everywhere.
"""

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
PROPOSAL_STAFF = "proposal_staff"
INFO_EDITOR = "info_editor"
INFO_SIGNER = "info_signer"
INFORMANT = "informant"
OFFICE_ADMIN = "office_admin"
DEPT_HANDLER = "dept_handler"
DEPT_LEADER = "dept_leader"
COMMITTEE_LEADER = "committee_leader"
AUDITOR = "auditor"
SYSADMIN = "sysadmin"

ROLE_LABELS = {
    MEMBER: _("委员"),
    PROPOSAL_STAFF: _("提案工作人员"),
    INFO_EDITOR: _("信息编辑"),
    INFO_SIGNER: _("信息签发人"),
    INFORMANT: _("特邀信息员"),
    OFFICE_ADMIN: _("办公室管理员"),
    DEPT_HANDLER: _("承办单位经办人"),
    DEPT_LEADER: _("承办单位分管领导"),
    COMMITTEE_LEADER: _("政协领导"),
    AUDITOR: _("审计员（只读）"),
    SYSADMIN: _("系统管理员"),
}
ALL_ROLES = tuple(ROLE_LABELS)
# Every role but the member's and the informant's works on other people's data and must sign in with a second
# factor.
STAFF_ROLES = frozenset(ALL_ROLES) - {MEMBER, INFORMANT}
# Committee office roles that see the whole committee's organisation data.
OFFICE_ROLES = frozenset({PROPOSAL_STAFF, INFO_EDITOR, INFO_SIGNER, OFFICE_ADMIN, COMMITTEE_LEADER, AUDITOR})
# Roles of people inside the committee; an appointed informant (特邀信息员) is not a member and only reports.
COMMITTEE_ROLES = frozenset(ALL_ROLES) - {INFORMANT}

_CACHE_ATTR = "_xs_roles"
_POSTS_ATTR = "_xs_department_posts"
_DERIVED_ATTR = "_xs_derived"


def _load(user):
    """{committee_id or None: set(roles)} for one user, read once per user object (with the department posts,
    see :func:`department_ids`)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import DepartmentStaff, Informant, Member, RoleGrant

    out, department_posts = {}, set()
    if user.is_authenticated and user.is_active:
        for committee_id, role in RoleGrant.objects.filter(user=user).values_list("committee_id", "role"):
            out.setdefault(committee_id, set()).add(role)
        for committee_id in Member.objects.active().filter(user=user).values_list("committee_id", flat=True):
            out.setdefault(committee_id, set()).add(MEMBER)
        for committee_id in Informant.objects.filter(user=user, is_active=True).values_list("committee_id", flat=True):
            out.setdefault(committee_id, set()).add(INFORMANT)
        posts = DepartmentStaff.objects.filter(user=user, department__is_active=True).values_list(
            "department_id", "department__committee_id", "tier"
        )
        for department_id, committee_id, tier in posts:
            out.setdefault(committee_id, set()).add(DEPT_LEADER if tier == "leader" else DEPT_HANDLER)
            department_posts.add((department_id, tier))
    setattr(user, _POSTS_ATTR, department_posts)
    setattr(user, _CACHE_ATTR, out)
    return out


def forget(user):
    """Drop the cached roles of ``user`` (after a grant changes in the same request), and what follows from them."""
    for attr in (_CACHE_ATTR, _POSTS_ATTR, _DERIVED_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def derived(user):
    """A dict kept on the user object for values computed from the roles (e.g. the committees where a permission
    holds); dropped with the roles by :func:`forget`."""
    cache = getattr(user, _DERIVED_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _DERIVED_ATTR, cache)
    return cache


def is_sysadmin(user):
    return SYSADMIN in _load(user).get(None, set())


def roles_in(user, committee):
    """The roles ``user`` holds in ``committee`` (a Committee or its id). Sysadmin counts everywhere."""
    committee_id = getattr(committee, "pk", committee)
    roles = set(_load(user).get(committee_id, set()))
    if is_sysadmin(user):
        roles.add(SYSADMIN)
    return roles


def committee_ids(user):
    """Ids of the committees where ``user`` holds any role (not counting the deployment-wide sysadmin)."""
    return {cid for cid in _load(user) if cid is not None}


def all_roles(user):
    out = set()
    for roles in _load(user).values():
        out |= roles
    return out


def needs_second_factor(user):
    return bool(all_roles(user) & STAFF_ROLES)


def department_ids(user, *, tier=None):
    """Ids of the active departments where ``user`` is staff (optionally only at ``tier``), read with the roles."""
    _load(user)
    return {department_id for department_id, post_tier in getattr(user, _POSTS_ATTR)
            if not tier or post_tier == tier}
