"""Background tasks of the core. Tasks take ids, not objects, so a queued task survives a restart."""

from django_tasks import task


@task()
def deliver(delivery_ids):
    """Send the given deliveries over their channels; each outcome is recorded on its row.

    Returns the number sent. A failure never raises out of the task: the row is marked failed and the
    periodic job ``core.retry_deliveries`` tries it again later.
    """
    from .models import Delivery
    from .notifications import send_delivery

    sent = 0
    for delivery in Delivery.objects.filter(pk__in=delivery_ids).select_related("notification__recipient"):
        if send_delivery(delivery).status == Delivery.Status.SENT:
            sent += 1
    return sent
