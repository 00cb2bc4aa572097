"""Forms for the 社情民意 pages. They check input only; the views hand ``cleaned_data`` to ``opinions.actions``,
which check permissions and the committee's rules again and write nothing when they refuse.

Forms that offer committees' departments, copies or levels are built with the copy (or issue) they serve, so a
choice outside the report's chain or the committee is refused here already.
"""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.org.forms import add_action_errors  # noqa: F401  (re-exported for the views)
from xieshang.org.models import Committee, Department, Informant, Member

from . import settings as local
from .models import (
    RELEASED_STATES,
    Adoption,
    BulletinEntry,
    CopyStatus,
    Dispatch,
    Report,
    ReportCopy,
    ReportEvent,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Committee levels from the bottom up; an external level is one above every committee of the chain.
LEVEL_ORDER = [Committee.Level.COUNTY, Committee.Level.CITY, Committee.Level.PROVINCIAL, Committee.Level.NATIONAL]
NAME_SPLIT = re.compile(r"[\s,，、;；]+")


def chain_of(copy):
    """The copies from the originating committee's up to ``copy`` (bottom first)."""
    out, node = [], copy
    while node is not None:
        out.append(node)
        node = node.received_from
    return list(reversed(out))


def chain_departments(copy):
    """Active departments of ``copy``'s committee and of every committee below it in the report's chain."""
    committees = [c.committee_id for c in chain_of(copy)]
    return (Department.objects.filter(committee_id__in=committees, is_active=True).select_related("committee")
            .order_by("committee__level", "kind", "name"))


def external_levels(committee):
    """The levels above ``committee`` when it is at the top of its deployment (no parent), else none."""
    if committee.parent_id is not None:
        return []
    above = LEVEL_ORDER[LEVEL_ORDER.index(committee.level) + 1:]
    return [(level.value, level.label) for level in above]


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.committee.short_name or obj.committee.name} · {obj.name}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# ------------------------------------------------------------------------------------------------ the author


class ReportForm(forms.Form):
    """A report's text and contacts; on a new report, for staff, also whose report it is (代为报送)."""

    AUTHOR_SELF = "self"
    author = forms.ChoiceField(label=_("报送人"), widget=forms.RadioSelect)
    member = forms.ModelChoiceField(label=_("委员"), queryset=Member.objects.none(), required=False,
                                    widget=forms.Select(attrs={"data-picker": "1",
                                                               "data-placeholder": _("输入姓名筛选")}))
    informant = forms.ModelChoiceField(label=_("特邀信息员"), queryset=Informant.objects.none(), required=False,
                                       widget=forms.Select(attrs={"data-picker": "1",
                                                                  "data-placeholder": _("输入姓名筛选")}))
    collective_type = forms.ChoiceField(label=_("集体类型"), required=False,
                                        choices=[("", "---------")] + list(Report.CollectiveType.choices))
    collective_name = forms.CharField(label=_("集体名称"), max_length=100, required=False)
    title = forms.CharField(label=_("标题"), max_length=200, help_text=_("一事一报，标题一般为“关于……的建议”。"))
    situation = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    analysis = forms.CharField(label=_("分析"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    is_urgent = forms.BooleanField(label=_("紧急信息（急事急报）"), required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel"}))
    attachments = MultipleFileField(label=_("附件"))

    CONTENT = ["title", "situation", "analysis", "suggestion", "is_urgent", "contact_name", "contact_phone"]
    AUTHOR_FIELDS = ["author", "member", "informant", "collective_type", "collective_name"]

    def __init__(self, *args, committee, own_kind=None, on_behalf=False, creating=True, **kwargs):
        """``own_kind``: "member"/"informant" when the user reports for themself; ``on_behalf``: staff may
        report for a member, an informant or a collective body."""
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["attachments"].help_text = _("可一次选择多个文件；允许的类型：%(types)s；单个文件不超过 %(mb)s MB。") % {
            "types": "、".join(local.value(committee, local.ATTACHMENT_TYPES)),
            "mb": local.value(committee, local.ATTACHMENT_MAX_MB)}
        if not creating or not on_behalf:
            for name in self.AUTHOR_FIELDS:
                del self.fields[name]
            return
        choices = [(self.AUTHOR_SELF, _("本人"))] if own_kind else []
        choices += [(Report.AuthorKind.MEMBER, _("代委员报送")), (Report.AuthorKind.INFORMANT, _("代特邀信息员报送")),
                    (Report.AuthorKind.COLLECTIVE, _("集体报送"))]
        self.fields["author"].choices = choices
        self.fields["author"].initial = choices[0][0]
        self.fields["member"].queryset = Member.objects.active().filter(committee=committee).order_by("name")
        self.fields["informant"].queryset = Informant.objects.filter(committee=committee, is_active=True).order_by(
            "name")

    def clean(self):
        data = super().clean()
        author = data.get("author")
        if author == Report.AuthorKind.MEMBER and not data.get("member"):
            self.add_error("member", _("请选择委员。"))
        elif author == Report.AuthorKind.INFORMANT and not data.get("informant"):
            self.add_error("informant", _("请选择特邀信息员。"))
        elif author == Report.AuthorKind.COLLECTIVE:
            if not data.get("collective_type"):
                self.add_error("collective_type", _("请选择集体类型。"))
            if not (data.get("collective_name") or "").strip():
                self.add_error("collective_name", _("请填写集体名称。"))
        return data

    def content(self):
        return {name: self.cleaned_data.get(name) for name in self.CONTENT}

    def author_kwargs(self):
        """The keyword arguments of ``do_create_report`` saying whose report it is (empty: the user's own)."""
        author = self.cleaned_data.get("author")
        if author == Report.AuthorKind.MEMBER:
            return {"member": self.cleaned_data["member"]}
        if author == Report.AuthorKind.INFORMANT:
            return {"informant": self.cleaned_data["informant"]}
        if author == Report.AuthorKind.COLLECTIVE:
            return {"collective_type": self.cleaned_data["collective_type"],
                    "collective_name": self.cleaned_data["collective_name"].strip()}
        return {}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class EmptyForm(forms.Form):
    """Operations that need nothing beyond the button."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredNoteForm(forms.Form):
    note = forms.CharField(label=_("补充要求"), widget=forms.Textarea(attrs={"rows": 3}))


# ------------------------------------------------------------------------------------------------ one level


class EditCopyForm(forms.Form):
    """核稿: the copy's text, prefilled with its current version; unchanged text only marks it checked."""

    title = forms.CharField(label=_("标题"), max_length=200)
    situation = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    analysis = forms.CharField(label=_("分析"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    note = forms.CharField(label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    TEXT = ["title", "situation", "analysis", "suggestion"]

    def __init__(self, *args, copy, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({name: getattr(copy.version, name) for name in self.TEXT})

    def text(self):
        return {name: self.cleaned_data[name] for name in self.TEXT}


class DispatchForm(forms.Form):
    """报送: leaders by kind (names separated by commas or spaces) and departments of the report's chain."""

    committee_leaders = forms.CharField(label=Dispatch.Kind.COMMITTEE_LEADER.label, required=False,
                                        help_text=_("多位领导请用逗号或顿号分隔。"))
    party_leaders = forms.CharField(label=Dispatch.Kind.PARTY_LEADER.label, required=False)
    government_leaders = forms.CharField(label=Dispatch.Kind.GOVERNMENT_LEADER.label, required=False)
    departments = DepartmentChoiceField(label=Dispatch.Kind.DEPARTMENT.label, queryset=Department.objects.none(),
                                        required=False, widget=forms.CheckboxSelectMultiple)

    LEADER_FIELDS = {
        "committee_leaders": Dispatch.Kind.COMMITTEE_LEADER,
        "party_leaders": Dispatch.Kind.PARTY_LEADER,
        "government_leaders": Dispatch.Kind.GOVERNMENT_LEADER,
    }

    def __init__(self, *args, copy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = chain_departments(copy)

    def clean(self):
        data = super().clean()
        if not self.errors and not self.recipients():
            raise forms.ValidationError(_("请至少填写一位领导或选择一个部门。"))
        return data

    def recipients(self):
        out = []
        for name, kind in self.LEADER_FIELDS.items():
            for person in NAME_SPLIT.split(self.cleaned_data.get(name) or ""):
                if person:
                    out.append({"kind": kind, "name": person[:100], "department": None})
        for department in self.cleaned_data.get("departments") or ():
            out.append({"kind": Dispatch.Kind.DEPARTMENT, "name": department.name, "department": department})
        return out


class ForwardForm(forms.Form):
    """报送上级政协: nothing to fill in; the page names the parent committee on the button."""


class AdoptForm(forms.Form):
    kind = forms.ChoiceField(label=_("采用方式"), choices=Adoption.Kind.choices)
    adopted_by = forms.CharField(label=_("采用单位"), max_length=100)
    adopted_on = forms.DateField(label=_("采用日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    external_level = forms.ChoiceField(label=_("本系统外上级政协的采用"), required=False,
                                       help_text=_("本会为本系统最高层级时，可登记更高层级政协的采用情况。"))

    def __init__(self, *args, copy, **kwargs):
        super().__init__(*args, **kwargs)
        levels = external_levels(copy.committee)
        if levels:
            self.fields["external_level"].choices = [("", _("本级采用"))] + levels
        else:
            del self.fields["external_level"]
        if not self.is_bound:
            self.initial.setdefault("adopted_by", copy.committee.name)
            self.initial.setdefault("adopted_on", timezone.localdate())


class InstructionForm(forms.Form):
    leader_name = forms.CharField(label=_("批示领导"), max_length=40)
    leader_title = forms.CharField(label=_("领导职务"), max_length=100, required=False)
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 3}))
    instructed_on = forms.DateField(label=_("批示日期"), widget=DATE)
    departments = DepartmentChoiceField(label=_("交办部门（跟踪问效）"), queryset=Department.objects.none(),
                                        required=False, widget=forms.CheckboxSelectMultiple,
                                        help_text=_("每个部门生成一项跟踪问效任务。"))
    external_level = forms.ChoiceField(label=_("本系统外上级政协领导的批示"), required=False)

    def __init__(self, *args, copy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = chain_departments(copy)
        levels = external_levels(copy.committee)
        if levels:
            self.fields["external_level"].choices = [("", _("本级领导批示"))] + levels
        else:
            del self.fields["external_level"]
        if not self.is_bound:
            self.initial.setdefault("instructed_on", timezone.localdate())


# ------------------------------------------------------------------------------------------------ follow-ups


class FollowUpResponseForm(forms.Form):
    response = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 5}))


# ------------------------------------------------------------------------------------------------ queues


def topic_choices(committee):
    """The committee's topics (inactive ones too: old tags still count) as filter choices."""
    from xieshang.topics.models import Topic

    if committee is None:
        return [("", _("全部"))]
    return [("", _("全部"))] + [(str(pk), name) for pk, name in
                                Topic.objects.filter(committee=committee).values_list("pk", "name")]


def tagged_report_ids(committee, topic_id):
    """The ids of the reports ``committee`` tagged with its topic ``topic_id`` (as a subquery)."""
    from xieshang.topics.models import TopicTag

    return TopicTag.objects.filter(kind=TopicTag.Kind.OPINION, topic_id=topic_id,
                                   topic__committee=committee).values("object_id")


class QueueFilterForm(forms.Form):
    """The editor's queue filters; an invalid value drops that filter only.

    ``topic`` selects the copies whose report this committee tagged with that topic (the topic dashboard
    links its report counts here, with ``status=all`` and the year).
    """

    STATUS_OPEN = ""
    STATUS_ALL = "all"
    status = forms.ChoiceField(label=_("状态"), required=False)
    urgent = forms.ChoiceField(label=_("紧急"), required=False,
                               choices=[("", _("全部")), ("1", _("紧急")), ("0", _("一般"))])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    author_kind = forms.ChoiceField(label=_("报送人类型"), required=False,
                                    choices=[("", _("全部"))] + list(Report.AuthorKind.choices))
    topic = forms.ChoiceField(label=_("专题"), required=False)

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = ([(self.STATUS_OPEN, _("待处理")), (self.STATUS_ALL, _("全部"))]
                                         + list(CopyStatus.choices))
        self.fields["topic"].choices = topic_choices(committee)

    def apply(self, qs, committee):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        status = data.get("status") or self.STATUS_OPEN
        if status == self.STATUS_OPEN:
            qs = ReportCopy.objects.queue(committee)
        elif status == self.STATUS_ALL:
            qs = qs.filter(committee=committee).order_by("-is_urgent", "received_at", "id")
        else:
            qs = qs.filter(committee=committee, status=status).order_by("-is_urgent", "received_at", "id")
        if data.get("urgent") in ("0", "1"):
            qs = qs.filter(is_urgent=data["urgent"] == "1")
        if data.get("year"):
            qs = qs.filter(report__year=data["year"])
        if data.get("author_kind"):
            qs = qs.filter(report__author_kind=data["author_kind"])
        if data.get("topic"):
            qs = qs.filter(report_id__in=tagged_report_ids(committee, data["topic"]))
        return qs


class ReportListFilterForm(forms.Form):
    """The reports list's filters (the statistics page links here with them); an invalid value drops that filter.

    ``event`` with ``level`` and ``year`` select reports through their events (submitted, adopted or instructed
    in that year at that level); without ``event``, ``year`` is the report's own year. ``topic`` keeps the
    reports this committee tagged with that topic.
    """

    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    event = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部"))] + [
        (k, v) for k, v in ReportEvent.Kind.choices])
    level = forms.ChoiceField(label=_("层级"), required=False,
                              choices=[("", _("全部"))] + list(Committee.Level.choices))
    author_kind = forms.ChoiceField(label=_("报送人类型"), required=False,
                                    choices=[("", _("全部"))] + list(Report.AuthorKind.choices))
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    informant = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sector = forms.IntegerField(required=False, widget=forms.HiddenInput)
    liaison_group = forms.IntegerField(required=False, widget=forms.HiddenInput)
    collective = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    topic = forms.ChoiceField(label=_("专题"), required=False)

    AUTHOR_FIELDS = {"author_kind": "author_kind", "member": "member_id", "informant": "informant_id",
                     "sector": "sector_id", "liaison_group": "liaison_group_id", "collective": "collective_name"}

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = topic_choices(committee)

    def apply(self, committee):
        """The ids query of the committee's submitted reports selected by the valid filters, newest first."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        author = {column: data[name] for name, column in self.AUTHOR_FIELDS.items() if name in data}
        if data.get("event") or data.get("level"):
            events = ReportEvent.objects.filter(committee=committee, **author)
            for name in ("year", "level"):
                if name in data:
                    events = events.filter(**{name: data[name]})
            if "event" in data:
                events = events.filter(kind=data["event"])
            qs = Report.objects.filter(pk__in=events.values("report_id"))
        else:
            qs = Report.objects.filter(committee=committee, serial__isnull=False, **author)
            if "year" in data:
                qs = qs.filter(year=data["year"])
        if "topic" in data:
            qs = qs.filter(pk__in=tagged_report_ids(committee, data["topic"]))
        return qs.order_by("-year", "-serial", "-id")


# ------------------------------------------------------------------------------------------------ bulletin


class BulletinEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=BulletinEntry.Kind.choices, widget=forms.RadioSelect,
                             initial=BulletinEntry.Kind.SINGLE)
    copies = forms.ModelMultipleChoiceField(label=_("所含信息"), queryset=ReportCopy.objects.none(),
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text=_("单篇选一篇；综合选两篇以上，并填写标题和正文。"))
    title = forms.CharField(label=_("综合标题"), max_length=200, required=False)
    body = forms.CharField(label=_("综合正文"), widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copies"].queryset = (ReportCopy.objects.filter(committee_id=issue.committee_id,
                                                                    status__in=RELEASED_STATES)
                                          .select_related("version", "report").order_by("-signed_at", "-id"))
        self.fields["copies"].label_from_instance = lambda c: f"{c.report.number} {c.version.title}"


class BulletinPublishForm(forms.Form):
    signer_name = forms.CharField(label=_("签发人"), max_length=40)
    published_on = forms.DateField(label=_("印发日期"), widget=DATE, required=False,
                                   help_text=_("留空为今天。"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and user is not None:
            self.initial.setdefault("signer_name", user.get_full_name() or user.get_username())


class BulletinCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False,
                              help_text=_("留空为今年。"))
