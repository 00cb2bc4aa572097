"""The account pages: sign-in, personal settings (channels, language), password, and the sysadmin's account desk."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import account_actions, channels, security
from .models import UserPreference


def _set_language_cookie(response, language):
    """Make ``language`` the interface language of this browser (what django's set_language does)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


# Sign-in ---------------------------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy(
            "用户名或密码不正确。请注意区分大小写；连续失败多次后账号将被暂时锁定。"
        ),
        "inactive": gettext_lazy("该账号已停用，请联系系统管理员。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocorrect": "off"})


class LoginView(auth_views.LoginView):
    """Django's sign-in, plus the user's saved interface language.

    Members land on the workbench (or ``next``); staff are sent to enrol or verify their second factor first,
    which ``RequireSecondFactorMiddleware`` enforces on every other page as well.
    """

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        """Staff go straight to enrolment or verification, with the page they asked for kept as ``next``."""
        url = super().get_success_url()
        user = self.request.user
        # The user object that login() just put on the request has no is_verified() (OTPMiddleware ran before).
        verified = getattr(user, "is_verified", lambda: False)()
        if getattr(settings, "XS_REQUIRE_STAFF_2FA", True) and not verified:
            from xieshang.org.roles import needs_second_factor

            if needs_second_factor(user):
                enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                return reverse("otp_verify" if enrolled else "otp_setup") + "?" + urlencode({"next": url})
        return url

    def form_valid(self, form):
        response = super().form_valid(form)
        language = (
            UserPreference.objects.filter(user=form.get_user()).values_list("language", flat=True).first() or ""
        )
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            _set_language_cookie(response, language)
        return response


# Personal settings ------------------------------------------------------------------------------------------


CHANNEL_LABELS = {"email": gettext_lazy("电子邮件"), "sms": gettext_lazy("短信"), "im": gettext_lazy("政务即时通讯")}


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(label=gettext_lazy("通知渠道"), required=False, widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=gettext_lazy("界面语言"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].choices = [(c, CHANNEL_LABELS.get(c, c)) for c in channels.available()]
        self.fields["language"].choices = [("", _("跟随浏览器"))] + list(settings.LANGUAGES)


@login_required
def account_settings(request):
    """Notification channels and interface language. Saving the language applies it at once and at each sign-in."""
    pref, _created = UserPreference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            account_actions.do_update_preferences(
                pref, channels=form.cleaned_data["channels"], language=language, actor=request.user
            )
            if language:
                translation.activate(language)
            messages.success(request, _("已保存。"))
            response = redirect("account_settings")
            if language:
                _set_language_cookie(response, language)
            return response
    else:
        form = PreferenceForm(initial={"channels": pref.channels, "language": pref.language})
    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    return render(
        request,
        "account/settings.html",
        {"form": form, "pref": pref, "channels": channels.available(), "has_device": has_device},
    )


# Password -------------------------------------------------------------------------------------------------


class PolicyPasswordChangeForm(PasswordChangeForm):
    """Django's form; the policy is listed once at the top of the page instead of under the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = ""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password under the password policy (shown on the page); the change is audited."""

    form_class = PolicyPasswordChangeForm
    success_url = reverse_lazy("account_settings")
    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["policy"] = password_validators_help_texts()
        return context

    def form_valid(self, form):
        user = account_actions.do_change_password(form, actor=self.request.user)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改。"))
        return redirect(self.get_success_url())


# The sysadmin's account desk ------------------------------------------------------------------------------


def _require_account_manager(request):
    if not request.user.has_perm("core.manage_accounts"):
        raise PermissionDenied


@login_required
def user_admin(request):
    """Find accounts and see whether each is locked out and has a second factor; unlock or reset from here."""
    _require_account_manager(request)
    User = get_user_model()
    q = request.GET.get("q", "").strip()
    users = User.objects.order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    ids = [u.pk for u in rows]
    locked = security.locked_usernames(u.get_username() for u in rows)
    with_totp = set(TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True))
    backup_left = {}
    for user_id in StaticToken.objects.filter(device__user_id__in=ids).values_list("device__user_id", flat=True):
        backup_left[user_id] = backup_left.get(user_id, 0) + 1
    entries = [
        {
            "user": u,
            "locked": u.get_username() in locked,
            "has_totp": u.pk in with_totp,
            "backup_left": backup_left.get(u.pk, 0),
        }
        for u in rows
    ]
    context = {"page_obj": page, "entries": entries, "q": q, "query_string": urlencode({"q": q}) if q else ""}
    return render(request, "account/user_admin.html", context)


def _back_to_admin(request):
    url = reverse("account_user_admin")
    q = request.POST.get("q", "").strip()
    return redirect(url + "?" + urlencode({"q": q}) if q else url)


@login_required
@require_POST
def user_unlock(request, pk):
    _require_account_manager(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    account_actions.do_unlock_account(user, actor=request.user)
    messages.success(request, _("已解除 %(username)s 的登录锁定。") % {"username": user.get_username()})
    return _back_to_admin(request)


@login_required
@require_POST
def user_reset_2fa(request, pk):
    _require_account_manager(request)
    user = get_object_or_404(get_user_model(), pk=pk)
    account_actions.do_reset_second_factor(user, actor=request.user)
    messages.success(
        request, _("已重置 %(username)s 的双因素验证；该用户下次登录时须重新绑定。") % {"username": user.get_username()}
    )
    return _back_to_admin(request)
