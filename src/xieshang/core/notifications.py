"""The one notification dispatcher. Actions call :func:`notify`; it runs when their transaction commits.

Each recipient gets an in-app message; outside channels the user has chosen get a Delivery row each, sent by
a background task so that a slow gateway never holds up the page.
"""

from django.db import transaction

from .models import Delivery, Notification, UserPreference


def notify(recipients, *, kind, title, body="", url="", committee_id=None):
    """Send ``title`` to each user in ``recipients`` once the current transaction commits.

    ``title`` and ``body`` should already be rendered in the recipient's language (or be plain text).
    Inactive users and duplicates are skipped.
    """
    users = {u.pk: u for u in recipients if u is not None and getattr(u, "is_active", False)}
    if not users:
        return
    transaction.on_commit(
        lambda: _dispatch(list(users.values()), kind, str(title), str(body), url, committee_id)
    )


def _dispatch(users, kind, title, body, url, committee_id):
    from .tasks import deliver

    prefs = dict(UserPreference.objects.filter(user__in=users).values_list("user_id", "channels"))
    delivery_ids = []
    with transaction.atomic():
        for user in users:
            note = Notification.objects.create(
                recipient=user, committee_id=committee_id, kind=kind, title=title[:200], body=body, url=url
            )
            for channel in prefs.get(user.pk) or []:
                delivery_ids.append(Delivery.objects.create(notification=note, channel=channel).pk)
    if delivery_ids:
        transaction.on_commit(lambda: deliver.enqueue(delivery_ids))


def send_delivery(delivery):
    """Carry one delivery over its channel; records the outcome. Safe to call again after a failure."""
    from .channels import get_channel

    if delivery.status == Delivery.Status.SENT:
        return delivery
    channel = get_channel(delivery.channel)
    user = delivery.notification.recipient
    address = channel.address(user)
    delivery.attempts += 1
    if not address:
        delivery.status = Delivery.Status.SKIPPED
    else:
        try:
            channel.send(user, address, delivery.notification)
            delivery.status, delivery.error = Delivery.Status.SENT, ""
        except Exception as exc:  # a gateway's failure is recorded, never raised into the worker loop
            delivery.status, delivery.error = Delivery.Status.FAILED, str(exc)[:500]
    delivery.save(update_fields=["status", "error", "attempts", "updated_at"])
    return delivery
