"""Forms for the proposal pages. They validate input only; views pass ``cleaned_data`` to an action in
``proposals.actions``, which re-checks permissions and the committee's rules and writes nothing on error.

Choice lists (categories, decline grounds, outcome classes) come from the committee's settings, so a form is
always built with the committee (or the proposal) it serves.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.org.forms import add_action_errors  # noqa: F401  (re-exported for the views)
from xieshang.org.models import Department, Member, Session, SpecialCommittee

from . import settings as local
from .models import FILED_STATES, Proposal, Proposer, Rating, Status, SupervisionEvent

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _choices(values, blank=None):
    out = [(v, v) for v in values]
    return ([("", blank)] + out) if blank is not None else out


def active_departments(committee):
    return Department.objects.filter(committee=committee, is_active=True).order_by("kind", "name")


# ------------------------------------------------------------------------------------------------ drafting


class ProposalForm(forms.Form):
    """A draft's content. ``cosigners`` is offered only when creating; later invitations use InviteForm."""

    session = forms.ModelChoiceField(label=_("会次"), queryset=Session.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("提案类型"), choices=Proposal.Kind.choices)
    title = forms.CharField(label=_("案由"), max_length=200, help_text=_("一事一案，格式为“关于……的建议”。"))
    situation = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    analysis = forms.CharField(label=_("分析"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)
    suggested_departments = forms.ModelMultipleChoiceField(
        label=_("建议承办单位"), queryset=Department.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    cosigners = forms.ModelMultipleChoiceField(
        label=_("邀请联名人"), queryset=Member.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"data-picker": "1", "data-placeholder": _("输入姓名筛选"), "size": 6}),
        help_text=_("选择联名人后即为联名提案，须联名人在线确认后才能提交。"))
    collective_type = forms.ChoiceField(label=_("集体提案单位类型"), required=False,
                                        choices=[("", "---------")] + list(Proposal.CollectiveType.choices))
    collective_name = forms.CharField(label=_("集体提案单位"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)

    CONTENT = ["title", "situation", "analysis", "suggestion", "category", "kind", "collective_type",
               "collective_name", "contact_name", "contact_phone"]

    def __init__(self, *args, committee, user, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["category"].choices = _choices(local.value(committee, local.CATEGORIES), _("（请选择）"))
        self.fields["suggested_departments"].queryset = active_departments(committee)
        is_member = Member.objects.active().filter(committee=committee, user=user).exists()
        kinds = list(Proposal.Kind.choices)
        if proposal is None:
            self.fields["session"].queryset = Session.objects.filter(term__committee=committee).select_related(
                "term").order_by("-year", "-number")
            self.fields["cosigners"].queryset = Member.objects.active().filter(committee=committee).exclude(
                user=user).order_by("name")
            if not is_member:  # office staff entering for a body: collective only
                kinds = [(Proposal.Kind.COLLECTIVE, Proposal.Kind.COLLECTIVE.label)]
        else:
            del self.fields["session"]
            del self.fields["cosigners"]
            if proposal.kind == Proposal.Kind.COLLECTIVE:
                kinds = [(Proposal.Kind.COLLECTIVE, Proposal.Kind.COLLECTIVE.label)]
            else:
                kinds = [k for k in kinds if k[0] != Proposal.Kind.COLLECTIVE]
        self.fields["kind"].choices = kinds

    def clean(self):
        data = super().clean()
        if data.get("cosigners") and data.get("kind") == Proposal.Kind.COLLECTIVE:
            self.add_error("cosigners", _("集体提案不设联名人。"))
        return data

    def content(self):
        data = {name: self.cleaned_data.get(name) or "" for name in self.CONTENT if name in self.cleaned_data}
        if self.cleaned_data.get("cosigners"):
            data["kind"] = Proposal.Kind.JOINT
        return data


class InviteForm(forms.Form):
    cosigners = forms.ModelMultipleChoiceField(
        label=_("邀请联名人"), queryset=Member.objects.none(),
        widget=forms.SelectMultiple(attrs={"data-picker": "1", "data-placeholder": _("输入姓名筛选"), "size": 6}))

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        taken = proposal.proposers.exclude(member=None).values("member_id")
        self.fields["cosigners"].queryset = Member.objects.active().filter(
            committee_id=proposal.committee_id).exclude(pk__in=taken).order_by("name")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))


class AttachmentRemoveForm(forms.Form):
    attachment = forms.IntegerField(widget=forms.HiddenInput)


class EmptyForm(forms.Form):
    """Operations that need no input beyond the button (submit, pass, send)."""


class SignForm(forms.Form):
    accept = forms.TypedChoiceField(label=_("联名确认"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("确认联名")), ("no", _("拒绝联名"))],
                                    widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


# ------------------------------------------------------------------------------------------------ review


class FileForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"))
    note = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(local.value(proposal.committee_id, local.CATEGORIES))
        if not self.is_bound and proposal.category:
            self.initial["category"] = proposal.category


class DeclineForm(forms.Form):
    ground = forms.ChoiceField(label=_("不予立案理由"))
    reason = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = _choices(local.value(proposal.committee_id, local.DECLINE_GROUNDS),
                                                 _("（请选择）"))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("并入的主提案"), queryset=Proposal.objects.none(),
        error_messages={"invalid_choice": _("只能并入同一会次已立案且尚未归档的提案。")},
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(
            session_id=proposal.session_id, status__in=FILED_STATES).exclude(
            status=Status.ARCHIVED).exclude(pk=proposal.pk).order_by("case_number")
        self.fields["into"].label_from_instance = lambda p: f"{p.case_label} {p.title}"


class ConvertForm(forms.Form):
    target = forms.ChoiceField(label=_("转处理方式"), choices=Proposal.ConvertTarget.choices)
    consent = forms.BooleanField(label=_("已征得提案者同意"), required=False)


class BatchForm(forms.Form):
    """A review decision for the proposals ticked on the register."""

    DECISIONS = [("pass", _("预审通过")), ("file", _("立案")), ("return", _("退回修改")), ("decline", _("不予立案"))]

    ids = forms.ModelMultipleChoiceField(queryset=Proposal.objects.none(), widget=forms.MultipleHiddenInput,
                                         error_messages={"required": _("请先勾选提案。")})
    decision = forms.ChoiceField(label=_("批量审查决定"), choices=DECISIONS)
    ground = forms.ChoiceField(label=_("不予立案理由"), required=False)
    reason = forms.CharField(label=_("理由"), required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = Proposal.objects.filter(committee=committee).exclude(status=Status.DRAFT)
        self.fields["ground"].choices = _choices(local.value(committee, local.DECLINE_GROUNDS), _("（不予立案时选择）"))

    def params(self):
        d = self.cleaned_data
        if d["decision"] == "return":
            return {"reason": d["reason"]}
        if d["decision"] == "decline":
            return {"ground": d["ground"], "reason": d["reason"]}
        return {}


# ------------------------------------------------------------------------------------------------ assignment


class AssignForm(forms.Form):
    leads = forms.ModelMultipleChoiceField(label=_("主办单位"), queryset=Department.objects.none(),
                                           help_text=_("选择多个主办单位即为分办。"))
    co = forms.ModelMultipleChoiceField(label=_("会办单位"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        departments = active_departments(proposal.committee_id)
        self.fields["leads"].queryset = departments
        self.fields["co"].queryset = departments
        if not self.is_bound:
            self.initial["leads"] = list(proposal.suggested_departments.values_list("pk", flat=True))[:1]

    def clean(self):
        data = super().clean()
        if set(data.get("leads") or ()) & set(data.get("co") or ()):
            self.add_error("co", _("同一承办单位不能既主办又会办。"))
        return data


class ReassignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("改由承办单位"), queryset=Department.objects.none())

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = active_departments(proposal.committee_id)


class FirstContactForm(forms.Form):
    on = forms.DateField(label=_("沟通日期"), widget=DATE)
    note = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("会办意见"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), required=False)
    doc_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    body = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    signer = forms.CharField(label=_("签发人"), max_length=40, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        labels = local.outcome_labels(proposal.committee_id)
        self.fields["outcome"].choices = [("", _("（请选择）"))] + [
            (k, f"{k} {v}") for k, v in labels.items()]


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label=_("申请延至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("决定"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("批准")), ("no", _("不批准"))], widget=forms.RadioSelect)
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewReplyForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审核"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("审核通过")), ("no", _("退回修改"))], widget=forms.RadioSelect)
    outcome = forms.ChoiceField(label=_("认定办理结果"), required=False)
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        labels = local.outcome_labels(proposal.committee_id)
        self.fields["outcome"].choices = [("", _("（维持原分类）"))] + [(k, f"{k} {v}") for k, v in labels.items()]


# ------------------------------------------------------------------------------------------------ rating, flags


class RatingForm(forms.Form):
    result = forms.ChoiceField(label=_("满意度"), choices=Rating.Result.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, proposal, on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        if on_behalf:
            rated = proposal.ratings.filter(round=proposal.round).values("proposer_id")
            field = forms.ModelChoiceField(
                label=_("代为录入的提案者"),
                queryset=proposal.proposers.filter(signature=Proposer.Signature.CONFIRMED).exclude(pk__in=rated))
            self.fields = {"proposer": field, **self.fields}
        if local.value(proposal.committee_id, local.RATING_EXTRA_FIELDS):
            for name, choices in Rating.EXTRA_FIELDS.items():
                self.fields[name] = forms.ChoiceField(
                    label=Rating._meta.get_field(name).verbose_name, required=False,
                    choices=[("", "---------")] + list(choices.choices))

    def extras(self):
        return {name: self.cleaned_data.get(name, "") for name in Rating.EXTRA_FIELDS if name in self.cleaned_data}


class KeyForm(forms.Form):
    leader_name = forms.CharField(label=_("督办领导"), max_length=40)
    special_committee = forms.ModelChoiceField(label=_("牵头专委会"), queryset=SpecialCommittee.objects.none(),
                                               required=False)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee_id=proposal.committee_id)


class OversightForm(forms.Form):
    report = forms.CharField(label=_("督办报告"), widget=forms.Textarea(attrs={"rows": 4}))


class SupervisionEventForm(forms.Form):
    """督办活动: a visit, meeting or other activity of a key proposal's oversight."""

    kind = forms.ChoiceField(label=_("活动类型"), choices=[("", "---------")] + list(SupervisionEvent.Kind.choices))
    date = forms.DateField(label=_("活动日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    participants = forms.CharField(label=_("参加人员"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    leaders_present = forms.CharField(label=_("出席领导"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("活动情况"), widget=forms.Textarea(attrs={"rows": 4}))


class RemoveSupervisionEventForm(forms.Form):
    event = forms.ModelChoiceField(label=_("督办活动"), queryset=SupervisionEvent.objects.none())

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = SupervisionEvent.objects.filter(task__proposal=proposal)


class ExcellentForm(forms.Form):
    excellent = forms.BooleanField(label=_("评为优秀提案"), required=False)
    year = forms.IntegerField(label=_("评选年度"), required=False, min_value=2000, max_value=2100)


class ConsentForm(forms.Form):
    consent = forms.TypedChoiceField(label=_("是否同意公开"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("同意公开")), ("no", _("不同意公开"))],
                                     widget=forms.RadioSelect)
    reason = forms.CharField(label=_("不公开理由"), max_length=300, required=False)


# ------------------------------------------------------------------------------------------------ register filters


class RegisterFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("会次"), queryset=Session.objects.none(), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + list(Status.choices[1:]))
    category = forms.ChoiceField(label=_("类别"), required=False)
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none(), required=False)
    proposer = forms.CharField(label=_("提案者"), required=False, max_length=40)
    timing = forms.ChoiceField(label=_("提交时段"), required=False,
                               choices=[("", _("全部"))] + list(Proposal.Timing.choices))
    key = forms.BooleanField(label=_("只看重点提案"), required=False)
    q = forms.CharField(label=_("案由包含"), required=False, max_length=100)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(term__committee=committee).select_related("term")
        self.fields["category"].choices = _choices(local.value(committee, local.CATEGORIES), _("全部"))
        self.fields["department"].queryset = Department.objects.filter(committee=committee)


class MyAssignmentFilterForm(forms.Form):
    STATES = [("open", _("办理中")), ("done", _("已办结")), ("all", _("全部"))]
    state = forms.ChoiceField(label=_("范围"), choices=STATES, required=False)

