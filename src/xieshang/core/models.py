import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))

    def for_committee(self, committee_id):
        return self.filter(committee_id=committee_id)


class AuditEvent(models.Model):
    """One change made by an action. Rows sharing ``group_id`` are one user action."""

    group_id = models.UUIDField(_("操作编号"), default=uuid.uuid4, db_index=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_repr = models.CharField(_("操作人"), max_length=150, blank=True)
    # A plain id, not a foreign key: core knows nothing of the organisation app.
    committee_id = models.BigIntegerField(_("政协组织"), null=True, blank=True, db_index=True)
    verb = models.CharField(_("动作"), max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    via = models.CharField(_("来源"), max_length=10, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr or '-'} {self.verb} {self.target_repr}"


class CalendarDay(models.Model):
    """A day of the published schedule: a holiday (whole holiday periods, weekends included, as published) or a
    make-up workday (调休) on a weekend. Any other day follows the weekday rule."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up days are loaded; working-day arithmetic refuses other years."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("已载入年份")
        verbose_name_plural = _("已载入年份")

    def __str__(self):
        return str(self.year)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """A message in a user's in-app inbox; other channels carry copies of it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    committee_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("类别"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One attempt to carry a notification over an outside channel (email, SMS, enterprise messaging)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("无地址")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("notification", "channel")]
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")


class UserPreference(models.Model):
    """What a user chose for themself: the outside channels that carry their notifications."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    channels = models.JSONField(_("通知渠道"), default=list, blank=True)
    language = models.CharField(_("界面语言"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("个人偏好")
        verbose_name_plural = _("个人偏好")


class ReminderLog(models.Model):
    """One reminder or escalation sent by a daily deadline job (``core.reminders``), so none is sent twice.

    ``item`` names what is due, prefixed by the app that owns it ("assignment:12:reply:1", "proposer:7:cosign",
    "opinions.follow_up:3"), ``due`` the due date the reminder was about (a new due date after an extension starts
    afresh) and ``stage`` the step ("before:5", "overdue", "escalate"). The unique constraint is what makes the
    jobs idempotent, even when two runs overlap.
    """

    # A plain id, not a foreign key: core knows nothing of the organisation app.
    committee_id = models.BigIntegerField(_("政协组织"), db_index=True)
    item = models.CharField(_("事项"), max_length=60)
    due = models.DateField(_("截止日期"))
    stage = models.CharField(_("提醒类型"), max_length=20)
    sent_on = models.DateField(_("发送日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "due", "stage"], name="uniq_core_reminder_log")]
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")

    def __str__(self):
        return f"{self.item} {self.stage} {self.sent_on}"


class AttachmentBase(models.Model):
    """A stored file's record, shared by every app's attachment model (which adds its owner and ``file``).

    The checks and storage are in ``core.attachments``; subclasses set ``file`` with their own ``upload_to``.
    """

    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("类型"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.name
