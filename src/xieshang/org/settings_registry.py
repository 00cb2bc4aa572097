"""Local rules (variants in domain.md) as declared, typed, per-committee settings with common defaults.

Apps declare their settings here at import time with :func:`define`; pages read them with :func:`get`.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: object
    kind: str = "int"  # int | bool | str | choice | list
    min_value: int | None = None
    max_value: int | None = None
    choices: tuple = field(default_factory=tuple)
    help_text: str = ""
    item_kind: str = "str"  # for kind="list": str | int

    def clean(self, raw):
        """The typed value of ``raw`` (from a form or JSON), or ValidationError with a clear message."""
        if self.kind == "int":
            try:
                value = int(raw)
            except (TypeError, ValueError):
                raise ValidationError(_("%(label)s须为整数。") % {"label": self.label}) from None
            if self.min_value is not None and value < self.min_value:
                raise ValidationError(_("%(label)s不能小于 %(n)d。") % {"label": self.label, "n": self.min_value})
            if self.max_value is not None and value > self.max_value:
                raise ValidationError(_("%(label)s不能大于 %(n)d。") % {"label": self.label, "n": self.max_value})
            return value
        if self.kind == "bool":
            if isinstance(raw, bool):
                return raw
            return str(raw).lower() in {"1", "true", "on", "yes"}
        if self.kind == "choice":
            if raw not in dict(self.choices):
                raise ValidationError(_("%(label)s的取值无效。") % {"label": self.label})
            return raw
        if self.kind == "list":
            items = raw if isinstance(raw, list) else [s.strip() for s in str(raw).splitlines()]
            items = [str(s).strip() for s in items if str(s).strip()]
            if self.item_kind == "int":
                try:
                    items = sorted({int(s) for s in items}, reverse=True)
                except ValueError:
                    raise ValidationError(_("%(label)s每行须为整数。") % {"label": self.label}) from None
            if not items:
                raise ValidationError(_("%(label)s至少需要一项。") % {"label": self.label})
            return items
        value = str(raw).strip()
        if not value:
            raise ValidationError(_("%(label)s不能为空。") % {"label": self.label})
        return value


REGISTRY: dict[str, Setting] = {}


def define(key, label, default, **kwargs):
    REGISTRY[key] = Setting(key=key, label=label, default=default, **kwargs)
    return REGISTRY[key]


def get(committee, key):
    """The committee's value for ``key``, or the declared default."""
    from .models import CommitteeSetting

    definition = REGISTRY[key]
    committee_id = getattr(committee, "pk", committee)
    row = CommitteeSetting.objects.filter(committee_id=committee_id, key=key).values_list("value", flat=True).first()
    return definition.default if row is None else row


define(
    "notifications.reminder_days",
    gettext_lazy("到期前提醒（工作日，每行一个）"),
    [5, 1],
    kind="list",
    item_kind="int",
    help_text=gettext_lazy("在截止日前的这些工作日发送提醒。"),
)
define(
    "notifications.escalate_after_days",
    gettext_lazy("逾期多少个工作日后上报政协工作人员"),
    3,
    min_value=0,
    max_value=60,
)
