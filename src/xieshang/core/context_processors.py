import functools

from . import workbench  # noqa: F401


def shell(request):
    """What the page header needs, each computed lazily and at most once per response.

    ``unread_count``: one COUNT query on the (recipient, read_at) index. ``my_committees``: the committees
    where the user holds a role (all of them for the system administrator). ``can_view_audit``: whether the
    audit trail link is shown, from the same rules the audit pages enforce.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from xieshang.org.models import Committee
    from xieshang.org.roles import committee_ids, is_sysadmin

    from .models import Notification

    @functools.cache
    def unread_count():
        return Notification.objects.for_user(user).unread().count()

    @functools.cache
    def committees():
        qs = Committee.objects.all() if is_sysadmin(user) else Committee.objects.filter(pk__in=committee_ids(user))
        return list(qs.order_by("id"))

    @functools.cache
    def can_view_audit():
        if user.has_perm("core.view_audit_all"):
            return True
        return any(user.has_perm("core.view_audit", c) for c in committees())

    return {"unread_count": unread_count, "my_committees": committees, "can_view_audit": can_view_audit}
