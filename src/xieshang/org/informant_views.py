"""Pages for a committee's appointed informants (特邀信息员), under /c/<committee code>/org/informants/.

Informants are not members: they report 社情民意 for the committee under an appointment. The office (office admin
and information editors, ``org.change_informant``) appoints them, keeps their contacts and appointment period,
and links or creates the login account through which they hold the ``informant`` role. The list is open to the
committee's office roles (they see contacts, ``org.view_member_contacts``). Writes go through ``org.actions``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import actions
from .forms import DATE, NewAccountMixin, add_action_errors
from .models import Committee, Informant

PER_PAGE = 50


class InformantForm(forms.ModelForm):
    class Meta:
        model = Informant
        fields = ["name", "unit", "post", "mobile", "appointed_on", "ends_on", "is_active"]
        widgets = {"appointed_on": DATE, "ends_on": DATE, "mobile": forms.TextInput(attrs={"type": "tel"})}

    def clean(self):
        data = super().clean()
        if data.get("appointed_on") and data.get("ends_on") and data["ends_on"] < data["appointed_on"]:
            self.add_error("ends_on", _("聘期截止日期不能早于聘任日期。"))
        return data


class InformantAccountForm(NewAccountMixin):
    """Link an existing login account, or create one named after the informant."""

    MODE_EXISTING = "existing"
    MODE_NEW = "new"
    mode = forms.ChoiceField(
        label=gettext_lazy("账号"), widget=forms.RadioSelect, initial=MODE_NEW,
        choices=[(MODE_NEW, gettext_lazy("新建账号")), (MODE_EXISTING, gettext_lazy("关联已有账号"))],
    )
    field_order = ["mode", "username", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["full_name"]  # the informant's own name is used

    def clean(self):
        data = super().clean()
        username = (data.get("username") or "").strip()
        if not username:
            return data
        data["username"] = username
        User = get_user_model()
        if data.get("mode") == self.MODE_EXISTING:
            data["user"] = User.objects.filter(username=username, is_active=True).first()
            if data["user"] is None:
                self.add_error("username", _("没有这个用户名的账号。"))
        elif User.objects.filter(username=username).exists():
            self.add_error("username", _("该用户名已存在。"))
        return data


class InformantFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("姓名"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": gettext_lazy("按姓名搜索")}))
    state = forms.ChoiceField(label=gettext_lazy("状态"), required=False, choices=[
        ("", gettext_lazy("全部")), ("active", gettext_lazy("在聘")), ("inactive", gettext_lazy("已解聘"))])

    def filter(self, qs):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("q"):
            qs = qs.filter(name__icontains=data["q"].strip())
        if data.get("state"):
            qs = qs.filter(is_active=data["state"] == "active")
        return qs


def _committee_for(request, code, perm):
    committee = get_object_or_404(Committee, code=code)
    if not request.user.has_perm(perm, committee):
        raise PermissionDenied
    return committee


def _form_page(request, committee, form, title, back_url, informant=None, status=200):
    return render(request, "org/informant_form.html", {
        "committee": committee, "form": form, "title": title, "back_url": back_url, "informant": informant,
    }, status=status)


@login_required
def informant_list(request, committee):
    """The committee's informants with their unit, appointment period and account."""
    committee = _committee_for(request, committee, "org.view_member_contacts")
    filters = InformantFilterForm(request.GET or None)
    rows = filters.filter(Informant.objects.filter(committee=committee).select_related("user")).order_by(
        "-is_active", "name", "id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "org/informant_list.html", {
        "committee": committee, "filters": filters, "page_obj": page, "query_string": query.urlencode(),
        "can_change": request.user.has_perm("org.change_informant", committee),
    })


@login_required
def informant_edit(request, committee, pk=None):
    """Appoint an informant (no ``pk``) or change one."""
    committee = _committee_for(request, committee, "org.change_informant")
    informant = get_object_or_404(Informant.objects.select_related("user"), pk=pk, committee=committee) if pk else None
    # The form validates a fresh copy so that the action still sees the old values for its audit diff.
    instance = Informant.objects.get(pk=informant.pk) if informant else Informant(committee=committee)
    form = InformantForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            if informant:
                actions.do_update_informant(informant, form.cleaned_data, actor=request.user)
            else:
                actions.do_create_informant(committee, form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("特邀信息员信息已保存。") if informant else _("已聘任特邀信息员。"))
            return redirect("org:informant_list", committee.code)
    title = _("修改特邀信息员：%(name)s") % {"name": informant.name} if informant else _("聘任特邀信息员")
    return _form_page(request, committee, form, title, reverse("org:informant_list", args=[committee.code]),
                      informant, status=400 if form.is_bound and form.errors else 200)


@login_required
def informant_account(request, committee, pk):
    """Link an existing account to the informant, create one, or (POST ``unlink``) remove the link."""
    committee = _committee_for(request, committee, "org.change_informant")
    informant = get_object_or_404(Informant.objects.select_related("user"), pk=pk, committee=committee)
    back = reverse("org:informant_list", args=[committee.code])
    if request.method == "POST" and "unlink" in request.POST:
        if informant.user_id:
            actions.do_update_informant(informant, {"user": None}, actor=request.user)
            messages.success(request, _("已解除登录账号关联。"))
        return redirect(back)
    if informant.user_id is not None:
        messages.info(request, _("该特邀信息员已关联登录账号。"))
        return redirect(back)
    form = InformantAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == form.MODE_EXISTING:
                actions.do_update_informant(informant, {"user": data["user"]}, actor=request.user)
            else:
                actions.do_create_informant_account(informant, data["username"], password=data["password"] or None,
                                                    actor=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("已为该特邀信息员关联登录账号。"))
            return redirect(back)
    title = _("特邀信息员登录账号：%(name)s") % {"name": informant.name}
    return _form_page(request, committee, form, title, back, informant,
                      status=400 if form.is_bound and form.errors else 200)
