"""Outside channels that carry copies of in-app notifications.

A channel is a class with ``name``, ``address(user)`` and ``send(user, address, notification)``; it raises
on failure. Configure one per channel with ``XS_CHANNEL_EMAIL``, ``XS_CHANNEL_SMS`` and ``XS_CHANNEL_IM``
(dotted paths). To plug in an SMS gateway or enterprise messaging (企业微信, 钉钉, 政务微信), subclass
:class:`Channel`, implement ``send`` with the gateway's client, and point the setting at it; see
docs/notifications.md.
"""

import abc
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("xieshang.notifications")


class Channel(abc.ABC):
    """One outside channel. ``name`` is the key it is configured under ("email", "sms", "im").

    Subclasses implement :meth:`send` and may override :meth:`address` (for example to look up the user's
    enterprise-messaging id). An instance is made per delivery, so keep expensive clients at module level.
    """

    name = ""

    def __init__(self, name):
        self.name = name

    def address(self, user):
        """Where this user is reached on this channel, or "" when they cannot be (the delivery is skipped).

        By default: the e-mail address for "email", the mobile number of the user's member or department
        staff record for "sms", and the login name for any other channel.
        """
        if self.name == "email":
            return user.email or ""
        if self.name == "sms":
            return _mobile_of(user)
        return user.username

    @abc.abstractmethod
    def send(self, user, address, notification):
        """Deliver ``notification`` to ``address``; raise on failure (the caller records it)."""


def _mobile_of(user):
    from xieshang.org.models import DepartmentStaff, Member

    mobile = Member.objects.filter(user=user).exclude(mobile="").values_list("mobile", flat=True).first()
    if mobile:
        return mobile
    return DepartmentStaff.objects.filter(user=user).exclude(phone="").values_list("phone", flat=True).first() or ""


class EmailChannel(Channel):
    """Django's mail backend (EMAIL_* settings)."""

    def send(self, user, address, notification):
        # A header may not contain a line break; titles typed by users sometimes do.
        subject = " ".join(notification.title.split())
        send_mail(subject, _plain(notification), settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)


class LoggingChannel(Channel):
    """Writes the message to the log: the stand-in until a gateway is configured."""

    def send(self, user, address, notification):
        logger.info("[%s] to %s <%s>: %s", self.name, user.username, address, notification.title)


def _plain(notification):
    """The message as plain text, with the link made absolute when XS_SITE_URL is set."""
    text = notification.body or notification.title
    if notification.url:
        base = getattr(settings, "XS_SITE_URL", "").rstrip("/")
        url = base + notification.url if notification.url.startswith("/") else notification.url
        text += "\n\n" + url
    return text


plain_text = _plain


def get_channel(name):
    """An instance of the channel configured under ``name``; KeyError if there is none."""
    path = settings.XS_NOTIFICATION_CHANNELS[name]
    return import_string(path)(name)


def available():
    """The names of the configured outside channels, in settings order."""
    return list(settings.XS_NOTIFICATION_CHANNELS)
