"""The notification dispatcher, the channels, the retry job, the inbox pages and the unread count."""

import datetime

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from xieshang.core import audit, notifications, periodic
from xieshang.core.channels import Channel
from xieshang.core.context_processors import shell
from xieshang.core.models import Delivery, Notification, UserPreference


class FlakyChannel(Channel):
    """Fails while ``failures_left`` is positive, then succeeds; records what it sent."""

    failures_left = 0
    sent = []

    def address(self, user):
        return f"im:{user.username}"

    def send(self, user, address, notification):
        if FlakyChannel.failures_left > 0:
            FlakyChannel.failures_left -= 1
            raise ConnectionError("gateway timed out")
        FlakyChannel.sent.append((address, notification.title))


@pytest.fixture
def channels(settings):
    settings.XS_NOTIFICATION_CHANNELS = {
        "email": "xieshang.core.channels.EmailChannel",
        "sms": "xieshang.core.channels.LoggingChannel",
        "im": "xieshang.core.tests.test_notifications.FlakyChannel",
    }
    FlakyChannel.failures_left = 0
    FlakyChannel.sent = []
    return settings


def choose(user, *names):
    UserPreference.objects.update_or_create(user=user, defaults={"channels": list(names)})


@audit.action
def announce(recipients, *, fail=False, actor):
    """A stand-in for a domain action that notifies."""
    notifications.notify(recipients, kind="lab.announced", title="会议通知", body="请准时参加。", url="/inbox/")
    if fail:
        raise ValueError("the action failed after notifying")


# Dispatcher --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_sent_before_the_action_commits(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        announce([personas.member], actor=personas.office_admin)
        assert not Notification.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Notification.objects.filter(recipient=personas.member).count() == 1


@pytest.mark.django_db
def test_nothing_is_sent_when_the_action_rolls_back(personas, channels, django_capture_on_commit_callbacks):
    choose(personas.member, "email", "im")
    personas.member.email = "member@example.org"
    personas.member.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValueError):
            announce([personas.member], fail=True, actor=personas.office_admin)
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == [] and FlakyChannel.sent == []


@pytest.mark.django_db
def test_one_inbox_row_per_recipient_and_inactive_users_are_skipped(personas, django_capture_on_commit_callbacks):
    personas.cosigner.is_active = False
    personas.cosigner.save()
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member, personas.member, None, personas.cosigner, personas.auditor], actor=None)
    rows = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.title, n.kind) for n in rows] == [
        ("auditor", "会议通知", "lab.announced"), ("member", "会议通知", "lab.announced")
    ]


@pytest.mark.django_db
def test_deliveries_follow_each_users_chosen_channels(personas, channels, django_capture_on_commit_callbacks):
    personas.member.email = "member@example.org"
    personas.member.save()
    choose(personas.member, "email", "sms")
    choose(personas.auditor, "im")
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member, personas.auditor, personas.cosigner], actor=None)
    got = sorted(Delivery.objects.values_list("notification__recipient__username", "channel", "status"))
    assert got == [("auditor", "im", "sent"), ("member", "email", "sent"), ("member", "sms", "sent")]
    assert FlakyChannel.sent == [("im:auditor", "会议通知")]


@pytest.mark.django_db
def test_email_is_really_sent(personas, channels, settings, django_capture_on_commit_callbacks):
    settings.XS_SITE_URL = "https://zx.example.gov.cn"
    personas.member.email = "member@example.org"
    personas.member.save()
    choose(personas.member, "email")
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member], actor=None)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    assert message.subject == "会议通知"
    assert "请准时参加。" in message.body and "https://zx.example.gov.cn/inbox/" in message.body


@pytest.mark.django_db
def test_a_user_without_an_address_is_skipped_not_failed(personas, channels, django_capture_on_commit_callbacks):
    choose(personas.cosigner, "email", "sms")  # no e-mail, no mobile number
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.cosigner], actor=None)
    assert set(Delivery.objects.values_list("channel", "status")) == {("email", "skipped"), ("sms", "skipped")}
    assert mail.outbox == []


@pytest.mark.django_db
def test_sms_reaches_the_members_mobile(personas, channels, caplog, django_capture_on_commit_callbacks):
    choose(personas.member, "sms")
    with caplog.at_level("INFO", logger="xieshang.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            announce([personas.member], actor=None)
    assert Delivery.objects.get().status == "sent"
    assert "13800000001" in caplog.text and "会议通知" in caplog.text


@pytest.mark.django_db
def test_a_channel_no_longer_configured_is_ignored(personas, channels, django_capture_on_commit_callbacks):
    choose(personas.member, "fax", "im")
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member], actor=None)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["im"]


@pytest.mark.django_db
def test_a_failing_channel_is_recorded_and_retried_by_the_periodic_job(
    personas, channels, django_capture_on_commit_callbacks
):
    choose(personas.member, "im")
    FlakyChannel.failures_left = 1
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member], actor=None)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "gateway timed out" in delivery.error
    assert Notification.objects.count() == 1  # the inbox copy is there whatever the gateway does

    runs = periodic.run_due(only="core.retry_deliveries")
    assert [(r.status, r.result) for r in runs] == [("ran", 1)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert FlakyChannel.sent == [("im:member", "会议通知")]
    assert notifications.retryable_deliveries().count() == 0


@pytest.mark.django_db
def test_retries_stop_at_the_maximum_attempts(personas, channels, settings, django_capture_on_commit_callbacks):
    settings.XS_DELIVERY_MAX_ATTEMPTS = 3
    choose(personas.member, "im")
    FlakyChannel.failures_left = 99
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member], actor=None)
    for _ in range(5):
        notifications.retry_failed_deliveries()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert notifications.retryable_deliveries().count() == 0


@pytest.mark.django_db
def test_a_stranded_pending_delivery_is_picked_up(personas, channels):
    note = Notification.objects.create(recipient=personas.member, kind="lab.x", title="积压")
    delivery = Delivery.objects.create(notification=note, channel="im")
    assert notifications.retryable_deliveries().count() == 0  # just queued: left to its task
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert list(notifications.retryable_deliveries(now=later)) == [delivery]


@pytest.mark.django_db
def test_a_delivery_claimed_by_someone_else_is_not_sent_twice(personas, channels):
    note = Notification.objects.create(recipient=personas.member, kind="lab.x", title="并发")
    delivery = Delivery.objects.create(notification=note, channel="im")
    stale = Delivery.objects.get(pk=delivery.pk)
    notifications.send_delivery(delivery)
    notifications.send_delivery(stale)  # a second worker holding the old row
    assert FlakyChannel.sent == [("im:member", "并发")]
    assert Delivery.objects.get().attempts == 1


@pytest.mark.django_db
def test_a_failure_while_dispatching_is_logged_and_never_undoes_the_action(
    personas, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(notifications, "_dispatch", broken)
    with django_capture_on_commit_callbacks(execute=True):
        announce([personas.member], actor=personas.office_admin)  # does not raise
    assert "database went away" in caplog.text


# Inbox -------------------------------------------------------------------------------------------------------


def _note(user, title, read=False):
    return Notification.objects.create(
        recipient=user, kind="lab.x", title=title, url="/inbox/", read_at=timezone.now() if read else None
    )


@pytest.mark.django_db
def test_the_inbox_lists_only_own_notifications_unread_first(client, login, personas):
    _note(personas.member, "旧的未读")
    _note(personas.member, "已读的")
    Notification.objects.filter(title="已读的").update(read_at=timezone.now())
    _note(personas.member, "新的未读")
    _note(personas.cosigner, "别人的通知")
    login(client, personas.member)
    response = client.get(reverse("core:inbox"))
    assert [n.title for n in response.context["page_obj"]] == ["新的未读", "旧的未读", "已读的"]
    assert "别人的通知" not in response.content.decode()
    response = client.get(reverse("core:inbox"), {"show": "unread"})
    assert [n.title for n in response.context["page_obj"]] == ["新的未读", "旧的未读"]


@pytest.mark.django_db
def test_marking_another_users_notification_is_404(client, login, personas):
    other = _note(personas.cosigner, "别人的通知")
    login(client, personas.member)
    assert client.post(reverse("core:inbox_read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
def test_marking_read_needs_post(client, login, personas):
    note = _note(personas.member, "通知")
    login(client, personas.member)
    assert client.get(reverse("core:inbox_read", args=[note.pk])).status_code == 405


@pytest.mark.django_db
def test_htmx_marks_one_read_and_updates_the_badge_in_place(client, login, personas):
    first, second = _note(personas.member, "第一条"), _note(personas.member, "第二条")
    login(client, personas.member)
    response = client.post(reverse("core:inbox_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="note-{first.pk}"' in html and "<html" not in html
    assert 'id="unread-badge" hx-swap-oob="true"' in html and '>1</span>' in html
    first.refresh_from_db()
    assert first.read_at is not None
    when = first.read_at
    client.post(reverse("core:inbox_read", args=[first.pk]), HTTP_HX_REQUEST="true")
    first.refresh_from_db()
    assert first.read_at == when  # a second click keeps the first read time
    second.refresh_from_db()
    assert second.read_at is None


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(client, login, personas):
    note = _note(personas.member, "去看看")
    Notification.objects.filter(pk=note.pk).update(url="/calendar/")
    login(client, personas.member)
    response = client.post(reverse("core:inbox_read", args=[note.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/calendar/"


@pytest.mark.django_db
def test_an_outside_link_is_never_followed(client, login, personas):
    note = _note(personas.member, "钓鱼")
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example.com/")
    login(client, personas.member)
    response = client.post(reverse("core:inbox_read", args=[note.pk]), {"open": "1"})
    assert response["Location"] == reverse("core:inbox")


@pytest.mark.django_db
def test_mark_all_read_touches_only_own_notifications(client, login, personas):
    _note(personas.member, "一"), _note(personas.member, "二")
    theirs = _note(personas.cosigner, "别人的")
    login(client, personas.member)
    response = client.post(reverse("core:inbox_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.for_user(personas.member).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_the_header_shows_the_unread_count(client, login, personas):
    _note(personas.member, "一"), _note(personas.member, "二"), _note(personas.member, "三", read=True)
    _note(personas.cosigner, "别人的")
    login(client, personas.member)
    html = client.get(reverse("workbench")).content.decode()
    assert '<span class="badge" data-testid="unread">2</span>' in html
    client.post(reverse("core:inbox_read_all"))
    html = client.get(reverse("workbench")).content.decode()
    assert 'data-testid="unread"' not in html


@pytest.mark.django_db
def test_the_unread_count_is_one_query_however_often_it_is_read(personas, django_assert_num_queries):
    _note(personas.member, "一")
    request = RequestFactory().get("/")
    request.user = personas.member
    context = shell(request)
    with django_assert_num_queries(1):
        assert context["unread_count"]() == 1
        assert context["unread_count"]() == 1


def test_the_anonymous_visitor_gets_no_header_context():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert shell(request) == {}


@pytest.mark.django_db
def test_the_inbox_needs_sign_in(client):
    assert client.get(reverse("core:inbox")).status_code == 302
