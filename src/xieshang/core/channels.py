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
    name = ""

    def __init__(self, name):
        self.name = name

    def address(self, user):
        """Where this user is reached on this channel, or "" when they cannot be."""
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
    def send(self, user, address, notification):
        send_mail(notification.title, _plain(notification), settings.DEFAULT_FROM_EMAIL, [address])


class LoggingChannel(Channel):
    """Writes the message to the log: the stand-in until a gateway is configured."""

    def send(self, user, address, notification):
        logger.info("[%s] to %s <%s>: %s", self.name, user.username, address, notification.title)


def _plain(notification):
    text = notification.body or notification.title
    if notification.url:
        text += "\n\n" + notification.url
    return text


def get_channel(name):
    path = settings.XS_NOTIFICATION_CHANNELS[name]
    return import_string(path)(name)


def available():
    return list(settings.XS_NOTIFICATION_CHANNELS)
