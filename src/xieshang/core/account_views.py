from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import channels
from .models import UserPreference


@login_required
def account_settings(request):
    pref, _created = UserPreference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        chosen = [c for c in request.POST.getlist("channels") if c in channels.available()]
        pref.channels = chosen
        pref.save(update_fields=["channels"])
        messages.success(request, _("已保存。"))
        return redirect("account_settings")
    return render(request, "account/settings.html", {"pref": pref, "channels": channels.available()})
