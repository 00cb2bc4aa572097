from django_tasks import task


@task()
def deliver(delivery_ids):
    """Send pending deliveries (ids, not objects, so the task survives a restart)."""
    from .models import Delivery
    from .notifications import send_delivery

    for delivery in Delivery.objects.filter(pk__in=delivery_ids).select_related("notification__recipient"):
        send_delivery(delivery)
