from . import workbench  # noqa: F401


def shell(request):
    """What the page header needs: the unread count and the user's committees (lazily, once per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from xieshang.org.models import Committee
    from xieshang.org.roles import committee_ids, is_sysadmin

    from .models import Notification

    def committees():
        qs = Committee.objects.all() if is_sysadmin(user) else Committee.objects.filter(pk__in=committee_ids(user))
        return list(qs.order_by("id"))

    return {
        "unread_count": lambda: Notification.objects.for_user(user).unread().count(),
        "my_committees": committees,
    }
