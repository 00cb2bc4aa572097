"""Forms for the organisation pages. They validate input only; views pass ``cleaned_data`` to an action.

Model forms here are bound to a throw-away instance (see ``views._edit_copy``) so that validating does not
change the object the action later compares against for its audit trail.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Committee,
    Department,
    DepartmentStaff,
    LiaisonGroup,
    Member,
    RoleGrant,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)
from .settings_registry import REGISTRY

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_action_errors(form, exc):
    """Show a ValidationError raised by an action on ``form``: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error if target else ValidationError(error.messages))
    else:
        form.add_error(None, exc)


class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["code", "name", "short_name", "level", "parent", "address", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent_qs = Committee.objects.exclude(level=Committee.Level.COUNTY)
        if self.instance.pk:
            below = {self.instance.pk}
            # Descendants cannot become the parent (the action refuses it too, this keeps the list honest).
            frontier = [self.instance.pk]
            while frontier:
                frontier = list(Committee.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
                below.update(frontier)
            parent_qs = parent_qs.exclude(pk__in=below)
        self.fields["parent"].queryset = parent_qs

    def clean(self):
        data = super().clean()
        if data.get("level") == Committee.Level.NATIONAL and data.get("parent"):
            self.add_error("parent", _("全国政协没有上级组织。"))
        return data


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["number", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        return data


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["number", "year", "plenary_start", "plenary_end", "proposal_window_start", "proposal_window_end"]
        widgets = {
            "plenary_start": DATE, "plenary_end": DATE, "proposal_window_start": DATE, "proposal_window_end": DATE,
        }

    def clean(self):
        data = super().clean()
        if data.get("plenary_start") and data.get("plenary_end") and data["plenary_end"] < data["plenary_start"]:
            self.add_error("plenary_end", _("会议结束日期不能早于开始日期。"))
        start, end = data.get("proposal_window_start"), data.get("proposal_window_end")
        if bool(start) != bool(end):
            self.add_error("proposal_window_end", _("大会提案征集的开始和截止日期须同时填写。"))
        elif start and end and end < start:
            self.add_error("proposal_window_end", _("大会提案截止日期不能早于征集开始日期。"))
        return data


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "order"]


class SpecialCommitteeForm(forms.ModelForm):
    class Meta:
        model = SpecialCommittee
        fields = ["name", "short_name", "order"]


class LiaisonGroupForm(forms.ModelForm):
    class Meta:
        model = LiaisonGroup
        fields = ["name", "area", "leader_name", "contact_phone", "order"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name", "member_no", "gender", "ethnicity", "birth_date", "party", "term", "sector", "special_committee",
            "liaison_group", "is_standing", "unit", "post", "mobile", "phone", "email", "address", "status",
        ]
        widgets = {"birth_date": DATE}

    def __init__(self, committee, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.filter(committee=committee)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(committee=committee)
        self.fields["liaison_group"].queryset = LiaisonGroup.objects.filter(committee=committee)


class MemberFilterForm(forms.Form):
    """The member list's filters; every field optional, unknown values are ignored."""

    q = forms.CharField(label=gettext_lazy("姓名"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("按姓名搜索")}))
    sector = forms.ModelChoiceField(label=gettext_lazy("界别"), queryset=Sector.objects.none(), required=False,
                                    empty_label=gettext_lazy("全部"))
    special_committee = forms.ModelChoiceField(label=gettext_lazy("专委会"), queryset=SpecialCommittee.objects.none(),
                                               required=False, empty_label=gettext_lazy("全部"))
    liaison_group = forms.ModelChoiceField(label=gettext_lazy("联络组"), queryset=LiaisonGroup.objects.none(),
                                           required=False, empty_label=gettext_lazy("全部"))
    standing = forms.ChoiceField(label=gettext_lazy("常委"), required=False,
                                 choices=[("", gettext_lazy("全部")), ("1", gettext_lazy("常委")), ("0", gettext_lazy("非常委"))])
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("全部"))] + list(Member.Status.choices))
    term = forms.ModelChoiceField(label=gettext_lazy("届"), queryset=Term.objects.none(), required=False,
                                  empty_label=gettext_lazy("全部"))

    def __init__(self, committee, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(committee=committee)
        self.fields["liaison_group"].queryset = LiaisonGroup.objects.filter(committee=committee)
        self.fields["term"].queryset = Term.objects.filter(committee=committee)

    def filter(self, qs):
        """``qs`` narrowed by the valid filters (an invalid value for one filter drops only that filter)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            qs = qs.filter(name__icontains=data["q"].strip())
        for name in ("sector", "special_committee", "liaison_group", "term"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("standing") in ("0", "1"):
            qs = qs.filter(is_standing=data["standing"] == "1")
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "kind", "contact_name", "contact_phone", "address", "is_active"]


class NewAccountMixin(forms.Form):
    """Username, name and an optional first password for a new login account."""

    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("姓名"), max_length=150, required=False)
    password = forms.CharField(
        label=gettext_lazy("初始密码"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("留空则账号暂不能用密码登录，需由管理员另行设置。"),
    )


class MemberAccountForm(NewAccountMixin):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["full_name"]  # the member's own name is used

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError(_("该用户名已存在。"))
        return username


class StaffForm(NewAccountMixin):
    """A department post for an existing account or a new one (分管领导/办公室/经办人)."""

    MODE_EXISTING = "existing"
    MODE_NEW = "new"
    mode = forms.ChoiceField(
        label=gettext_lazy("账号"), widget=forms.RadioSelect, initial=MODE_EXISTING,
        choices=[(MODE_EXISTING, gettext_lazy("已有账号")), (MODE_NEW, gettext_lazy("新建账号"))],
    )
    tier = forms.ChoiceField(label=gettext_lazy("层级"), choices=DepartmentStaff.Tier.choices)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=40, required=False)
    field_order = ["mode", "username", "full_name", "password", "tier", "phone"]

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        if not username:
            return data
        data["username"] = username
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if data.get("mode") == self.MODE_EXISTING:
            if user is None:
                self.add_error("username", _("没有这个用户名的账号。"))
            data["user"] = user
        elif data.get("mode") == self.MODE_NEW:
            if get_user_model().objects.filter(username=username).exists():
                self.add_error("username", _("该用户名已存在。"))
            if not data.get("full_name"):
                self.add_error("full_name", _("新建账号须填写姓名。"))
        return data


class RoleGrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    role = forms.ChoiceField(
        label=gettext_lazy("角色"),
        # The system administrator role is deployment-wide and is not granted from a committee's page.
        choices=[(v, label) for v, label in RoleGrant.Role.choices if v != RoleGrant.Role.SYSADMIN],
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("没有这个用户名的账号。"))
        self.cleaned_data["user"] = user
        return username


class SettingsForm(forms.Form):
    """One field per declared local rule, initialised with the committee's current values."""

    def __init__(self, current, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, definition in REGISTRY.items():
            value = current.get(key, definition.default)
            common = {"label": definition.label, "help_text": definition.help_text}
            if definition.kind == "int":
                field = forms.IntegerField(min_value=definition.min_value, max_value=definition.max_value, **common)
            elif definition.kind == "bool":
                field = forms.BooleanField(required=False, **common)
            elif definition.kind == "choice":
                field = forms.ChoiceField(choices=definition.choices, **common)
            elif definition.kind == "list":
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
                value = "\n".join(str(v) for v in value)
            else:
                field = forms.CharField(**common)
            field.initial = value
            self.fields[key] = field

    def clean(self):
        data = super().clean()
        for key, definition in REGISTRY.items():
            if key in data:
                try:
                    data[key] = definition.clean(data[key])
                except ValidationError as exc:
                    self.add_error(key, exc)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

