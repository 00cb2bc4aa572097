"""The one notification dispatcher. Actions call :func:`notify`; it runs when their transaction commits.

Each recipient gets an in-app message; each outside channel the user has chosen (UserPreference.channels)
gets a Delivery row, sent by the background task :func:`xieshang.core.tasks.deliver` so that a slow gateway
never holds up the page. A failed delivery is retried by the periodic job ``core.retry_deliveries`` until it
has been tried ``XS_DELIVERY_MAX_ATTEMPTS`` times. See docs/notifications.md.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Delivery, Notification, UserPreference

logger = logging.getLogger("xieshang.notifications")

DEFAULT_MAX_ATTEMPTS = 5
# A pending delivery older than this was never picked up (the queue was down when it was enqueued).
STALE_PENDING = datetime.timedelta(minutes=10)


def max_attempts():
    return int(getattr(settings, "XS_DELIVERY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def notify(recipients, *, kind, title, body="", url="", committee_id=None):
    """Send ``title`` to each user in ``recipients`` once the current transaction commits.

    Call it from inside an action: if the action's transaction rolls back, nothing is sent. Outside any
    transaction it dispatches at once. ``title`` and ``body`` are rendered to text now, in the active
    language (pass already-rendered text for a recipient-specific language). Inactive users, ``None`` and
    duplicates are skipped. Returns nothing; the rows exist only after the commit.
    """
    users = {u.pk: u for u in recipients if u is not None and getattr(u, "is_active", False)}
    if not users:
        return
    title, body = str(title), str(body)
    # Robust: the action has committed by then, so a failure here is logged rather than turned into an
    # error page that would invite the user to repeat a change that already happened.
    transaction.on_commit(
        lambda: _dispatch(list(users.values()), kind, title, body, url, committee_id), robust=True
    )


def _dispatch(users, kind, title, body, url, committee_id):
    from . import channels

    configured = set(channels.available())
    prefs = dict(UserPreference.objects.filter(user__in=users).values_list("user_id", "channels"))
    delivery_ids = []
    with transaction.atomic():
        for user in users:
            note = Notification.objects.create(
                recipient=user, committee_id=committee_id, kind=kind, title=title[:200], body=body, url=url[:300]
            )
            # A channel removed from the deployment since the user chose it is ignored, not failed forever.
            chosen = [c for c in dict.fromkeys(prefs.get(user.pk) or []) if c in configured]
            for channel in chosen:
                delivery_ids.append(Delivery.objects.create(notification=note, channel=channel).pk)
    if delivery_ids:
        transaction.on_commit(lambda: _enqueue(delivery_ids), robust=True)


def _enqueue(delivery_ids):
    """Queue the deliveries; if the queue is down they stay pending and the retry job picks them up."""
    from .tasks import deliver

    try:
        deliver.enqueue(delivery_ids)
    except Exception:
        logger.exception("could not enqueue deliveries %s; the retry job will send them", delivery_ids)


def send_delivery(delivery):
    """Carry one delivery over its channel and record the outcome; returns the delivery.

    Safe to call twice at once for the same row: the attempt is claimed with a conditional update on
    ``attempts``, and the loser returns without sending. A delivery already sent, skipped, or tried
    ``max_attempts()`` times is left alone. The channel's exception is recorded on the row, never raised.
    """
    from .channels import get_channel

    if delivery.status in (Delivery.Status.SENT, Delivery.Status.SKIPPED) or delivery.attempts >= max_attempts():
        return delivery
    claimed = (
        Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        .exclude(status__in=[Delivery.Status.SENT, Delivery.Status.SKIPPED])
        .update(attempts=F("attempts") + 1, updated_at=timezone.now())
    )
    if not claimed:
        delivery.refresh_from_db()
        return delivery
    delivery.attempts += 1
    user = delivery.notification.recipient
    try:
        channel = get_channel(delivery.channel)
        address = channel.address(user)
        if not address:
            delivery.status, delivery.error = Delivery.Status.SKIPPED, ""
        else:
            channel.send(user, address, delivery.notification)
            delivery.status, delivery.error = Delivery.Status.SENT, ""
    except Exception as exc:  # a gateway's failure is recorded, never raised into the worker loop
        logger.warning("delivery %s over %s failed: %s", delivery.pk, delivery.channel, exc)
        delivery.status, delivery.error = Delivery.Status.FAILED, f"{type(exc).__name__}: {exc}"[:500]
    delivery.save(update_fields=["status", "error", "updated_at"])
    return delivery


def retryable_deliveries(now=None):
    """Deliveries the retry job should try again: failed, or pending but never picked up, and not given up."""
    now = now or timezone.now()
    return Delivery.objects.filter(attempts__lt=max_attempts()).filter(
        Q(status=Delivery.Status.FAILED) | Q(status=Delivery.Status.PENDING, updated_at__lt=now - STALE_PENDING)
    )


def retry_failed_deliveries():
    """The periodic job ``core.retry_deliveries``: queue every retryable delivery again. Returns how many."""
    ids = list(retryable_deliveries().order_by("id").values_list("pk", flat=True)[:1000])
    if ids:
        _enqueue(ids)
    return len(ids)
