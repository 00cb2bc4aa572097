"""Today's date for deadlines, in one place so tests can pin it."""

from django.utils import timezone


def today():
    """The local date in the deployment's time zone (Asia/Shanghai by default)."""
    return timezone.localdate()
