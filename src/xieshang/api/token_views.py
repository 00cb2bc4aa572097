"""账号设置 → API 令牌: create a token (its secret is shown once), see one's tokens, revoke one."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import actions
from .models import ApiToken

EXPIRY_CHOICES = [
    ("30", gettext_lazy("30 天")),
    ("90", gettext_lazy("90 天")),
    ("365", gettext_lazy("一年")),
    ("never", gettext_lazy("长期有效（直到撤销）")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("令牌名称"), max_length=60,
        help_text=gettext_lazy("写明用途，例如“提案数据同步脚本”，便于日后辨认和撤销。"),
    )
    expires = forms.ChoiceField(label=gettext_lazy("有效期"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self):
        value = self.cleaned_data["expires"]
        if value == "never":
            return None
        return timezone.now() + datetime.timedelta(days=int(value))


def _page(request, form, *, secret=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    response = render(
        request, "account/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret, "now": timezone.now()},
        status=status,
    )
    return response


@never_cache
@login_required
def tokens(request):
    """GET lists the user's tokens; POST creates one and shows its secret in this response only.

    The secret is rendered straight into the POST response (never stored, never put in the session), and
    the page is sent with no-cache headers so the browser keeps no copy.
    """
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = actions.do_create_api_token(
                    request.user, form.cleaned_data["name"], expires_at=form.expires_at(), actor=request.user
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                else:
                    for message in exc.messages:
                        form.add_error(None, message)
                return _page(request, form, status=422)
            messages.success(request, _("令牌“%(name)s”已创建。") % {"name": token.name})
            return _page(request, TokenForm(), secret=secret)
        return _page(request, form, status=422)
    return _page(request, TokenForm())


@login_required
@require_POST
def revoke_token(request, pk):
    # Another user's token is a 404: its existence is none of this user's business.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
    return redirect("account_tokens")
