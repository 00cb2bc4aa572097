"""Today's date for the 社情民意 deadlines and yearly counts, in one place so tests can pin it."""

from django.utils import timezone


def today():
    """The local date in the deployment's time zone."""
    return timezone.localdate()
