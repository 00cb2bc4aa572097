"""The header's 社情民意 entry (templates/base.html): shown to those who work with reports, by role.

It reuses the header's ``my_committees`` (already read for the committee links) and the roles cached on the
user, so it adds no query to any page.
"""

from django import template
from django.urls import reverse

from xieshang.org import roles

register = template.Library()

# Roles that have something to do in the 社情民意 section: report, edit, sign, read, or answer follow-ups.
OPINION_ROLES = frozenset({
    roles.MEMBER, roles.INFORMANT, roles.INFO_EDITOR, roles.INFO_SIGNER, roles.OFFICE_ADMIN,
    roles.COMMITTEE_LEADER, roles.DEPT_HANDLER, roles.DEPT_LEADER, roles.SYSADMIN,
})


@register.simple_tag(takes_context=True)
def opinions_home_url(context):
    """The 社情民意 home of the first of the user's committees where they hold a role that uses it, or ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    committees = context.get("my_committees")
    if callable(committees):
        committees = committees()
    for committee in committees or ():
        if roles.roles_in(user, committee) & OPINION_ROLES:
            return reverse("opinions:home", args=[committee.code])
    return ""
