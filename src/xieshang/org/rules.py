"""Organisation permissions, declared once and checked the same way by pages, templates and the API.

Every rule takes the committee (or an object that belongs to one) as its object.
"""

import rules

from . import roles


def committee_of(obj):
    """The committee that ``obj`` belongs to (a Committee is its own)."""
    from .models import Committee, Department, DepartmentStaff, Session

    if obj is None:
        return None
    if isinstance(obj, Committee):
        return obj
    if isinstance(obj, Session):
        return obj.term.committee
    if isinstance(obj, DepartmentStaff):
        return obj.department.committee
    if isinstance(obj, Department) or hasattr(obj, "committee"):
        return obj.committee
    return None


def has_role(*wanted):
    wanted = frozenset(wanted)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user, obj):
        committee = committee_of(obj)
        if committee is None or not user.is_authenticated:
            return False
        return bool(roles.roles_in(user, committee) & wanted)

    return predicate


@rules.predicate
def is_sysadmin(user):
    return user.is_authenticated and roles.is_sysadmin(user)


@rules.predicate
def is_office_admin_anywhere(user):
    return user.is_authenticated and roles.OFFICE_ADMIN in roles.all_roles(user)


@rules.predicate
def is_staff_of_department(user, obj):
    """The user works in the department ``obj`` (or the department of a staff row)."""
    from .models import Department, DepartmentStaff

    if not user.is_authenticated:
        return False
    department = obj.department if isinstance(obj, DepartmentStaff) else obj
    if not isinstance(department, Department):
        return False
    return department.pk in roles.department_ids(user)


@rules.predicate
def is_leader_of_department(user, obj):
    from .models import Department, DepartmentStaff

    if not user.is_authenticated:
        return False
    department = obj.department if isinstance(obj, DepartmentStaff) else obj
    if not isinstance(department, Department):
        return False
    return department.pk in roles.department_ids(user, tier=DepartmentStaff.Tier.LEADER)


in_committee = has_role(*roles.COMMITTEE_ROLES)
office = has_role(*roles.OFFICE_ROLES, roles.SYSADMIN)
office_admin = has_role(roles.OFFICE_ADMIN, roles.SYSADMIN)
proposal_office = has_role(roles.OFFICE_ADMIN, roles.PROPOSAL_STAFF, roles.SYSADMIN)
audit_readers = has_role(roles.AUDITOR, roles.OFFICE_ADMIN, roles.SYSADMIN)


def declare(name, predicate):
    """Declare permission ``name``: ``user.has_perm`` reads the *permissions* set, ``rules.test_rule`` the shared one.

    ``rules.add_rule`` alone leaves ``user.has_perm`` answering False for everyone, so both sets get the rule.
    """
    rules.add_perm(name, predicate)
    rules.add_rule(name, predicate)


# Committees
declare("org.view_committee", in_committee)
declare("org.add_committee", is_sysadmin)
declare("org.change_committee", is_sysadmin)
# Terms, sessions, sectors, special committees, liaison groups, local settings
declare("org.view_structure", in_committee)
declare("org.change_structure", office_admin)
declare("org.change_settings", office_admin)
# Members: the directory (names, sector, unit) to everyone in the committee; contacts and edits to the office
declare("org.view_member_directory", in_committee)
declare("org.view_member_contacts", office)
declare("org.change_member", office_admin)
declare("org.import_members", office_admin)
# Handling departments and their staff accounts
declare("org.view_department", in_committee)
declare("org.change_department", proposal_office)
declare("org.import_departments", proposal_office)
declare("org.manage_department_staff", proposal_office | is_leader_of_department)
# Roles and accounts
declare("org.manage_roles", office_admin)
declare("org.view_imports", proposal_office)
# Audit trail and the calendar (deployment-wide)
declare("core.view_audit", audit_readers)
declare("core.view_audit_all", is_sysadmin)
declare("core.manage_calendar", is_sysadmin | is_office_admin_anywhere)
# Appointed informants (特邀信息员): the office admin and the information editors appoint and manage them
declare("org.change_informant", has_role(roles.OFFICE_ADMIN, roles.INFO_EDITOR, roles.SYSADMIN))
