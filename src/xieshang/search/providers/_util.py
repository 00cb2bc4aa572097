from django.urls import NoReverseMatch, reverse


def safe_reverse(name, *args):
    """The URL of ``name``, or "" while the page that serves it is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def committees_with(user, perm):
    """Ids of the committees where ``user`` holds ``perm`` (checked through the rules, per committee); kept on the
    user object with the roles it follows from (``roles.forget`` drops it)."""
    from xieshang.org import roles
    from xieshang.org.models import Committee

    if not user.is_authenticated or not user.is_active:
        return []
    cache = roles.derived(user)
    key = ("committees_with", perm)
    if key not in cache:
        if roles.is_sysadmin(user):
            candidates = Committee.objects.all()
        else:
            candidates = Committee.objects.filter(pk__in=roles.committee_ids(user))
        cache[key] = [c.pk for c in candidates if user.has_perm(perm, c)]
    return list(cache[key])
