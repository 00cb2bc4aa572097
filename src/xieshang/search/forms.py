from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.org import roles
from xieshang.org.models import Committee, Department, Sector, Session

from . import registry
from .query import Filters


def visible_committees(user):
    if not user.is_authenticated:
        return Committee.objects.none()
    if roles.is_sysadmin(user):
        return Committee.objects.all()
    return Committee.objects.filter(pk__in=roles.committee_ids(user))


class SearchForm(forms.Form):
    """The search box and its filters. Choices come from the committees the user belongs to."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    committee = forms.ChoiceField(label=_("政协组织"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2100)
    session = forms.TypedChoiceField(label=_("会次"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False)
    category = forms.CharField(label=_("类别"), required=False, max_length=40)
    department = forms.TypedChoiceField(label=_("承办单位"), required=False, coerce=int, empty_value=None)
    sector = forms.TypedChoiceField(label=_("界别"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, user):
        super().__init__(data)
        everything = [("", _("全部"))]
        self.committees = list(visible_committees(user)[:200])
        self.fields["kind"].choices = everything + registry.kind_choices()
        self.fields["committee"].choices = everything + [(c.code, c.name) for c in self.committees]
        ids = [c.pk for c in self.committees]
        # Option lists come from the chosen committee, or from the user's only committee.
        code = (data or {}).get("committee") or ""
        scope = [c.pk for c in self.committees if c.code == code] or (ids if len(ids) == 1 else [])
        self.fields["session"].choices = everything + [
            (s.pk, f"{s.year} · {s}") for s in Session.objects.filter(term__committee_id__in=scope).select_related("term")]
        self.fields["department"].choices = everything + [
            (d.pk, d.name) for d in Department.objects.filter(committee_id__in=scope)]
        self.fields["sector"].choices = everything + [(s.pk, s.name) for s in Sector.objects.filter(committee_id__in=scope)]
        statuses = {}
        for provider in registry.all_providers():
            for value, label in provider.status_choices:
                statuses.setdefault(value, label)
        self.fields["status"].choices = everything + list(statuses.items())

    def filters(self):
        """The validated filters (call after is_valid())."""
        d = self.cleaned_data
        committee_id = next((c.pk for c in self.committees if c.code == d.get("committee")), None)
        return Filters(
            kind=d.get("kind") or "", committee_id=committee_id, year=d.get("year"), session_id=d.get("session"),
            status=d.get("status") or "", category=d.get("category") or "", department_id=d.get("department"),
            sector_id=d.get("sector"),
        )


class AccuracyForm(forms.Form):
    """The year whose department-suggestion figures are shown (all years when empty)."""

    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2999)
