"""The register page's filter form.

What each parameter *selects* is defined once, in :class:`xieshang.proposals.exports.RegisterFilters` (shared
with the .xlsx export and the API). This form only shows the filters and says which submitted values it cannot
use (another committee's session, an unknown sector…): the page then drops exactly those values from the
RegisterFilters it applies, and shows the error beside the field. A category is free text: any value is
accepted, and one that no proposal has simply lists nothing.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from xieshang.org.models import Department, Sector, Session

from . import settings as local
from .exports import CATEGORY_NONE, SECTOR_NONE
from .models import Proposal, Rating, Status


class FastSelect(forms.Select):
    """A select rendered in Python, not through one template include per option.

    The register's filter bar has several long lists (departments, sectors, sessions): through the template
    renderer they cost about 1,500 includes per page view, a quarter of the page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices))
        return format_html("<select{}>{}</select>", flatatt(final), options)


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple.value_from_datadict(self, data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False


class OpenChoiceField(forms.ChoiceField):
    """A select whose submitted value need not be one of its options (it is added as an option to show it)."""

    def valid_value(self, value):
        return True


class RegisterFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("会次"), queryset=Session.objects.none(), required=False,
                                     widget=FastSelect)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1949, max_value=2999)
    status = forms.MultipleChoiceField(label=_("状态（可多选）"), required=False,
                                       choices=[c for c in Status.choices if c[0] != Status.DRAFT],
                                       widget=FastSelectMultiple)
    category = OpenChoiceField(label=_("类别"), required=False, widget=FastSelect)
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none(), required=False,
                                        widget=FastSelect)
    sector = forms.ChoiceField(label=_("第一提案人界别"), required=False, widget=FastSelect)
    proposer_type = forms.ChoiceField(label=_("提案类型"), required=False,
                                      choices=[("", _("全部"))] + list(Proposal.Kind.choices), widget=FastSelect)
    outcome = forms.ChoiceField(label=_("办理结果"), required=False, widget=FastSelect)
    rating = forms.ChoiceField(label=_("评价"), required=False,
                               choices=[("", _("全部"))] + list(Rating.Result.choices), widget=FastSelect)
    proposer = forms.CharField(label=_("提案者"), required=False, max_length=40)
    timing = forms.ChoiceField(label=_("提交时段"), required=False,
                               choices=[("", _("全部"))] + list(Proposal.Timing.choices), widget=FastSelect)
    key = forms.BooleanField(label=_("只看重点提案"), required=False)
    q = forms.CharField(label=_("案由包含"), required=False, max_length=100)
    topic = forms.ModelChoiceField(label=_("专题"), queryset=Proposal.objects.none(), required=False,
                                   widget=FastSelect)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(term__committee=committee).select_related("term")
        categories = list(local.value(committee, local.CATEGORIES))
        current = (self.data.get("category") or "").strip() if self.is_bound else ""
        if current and current not in categories:
            categories.append(current)
        self.fields["category"].choices = ([("", _("全部"))] + [(c, c) for c in categories if c != CATEGORY_NONE]
                                           + [(CATEGORY_NONE, _("未分类"))])
        self.fields["department"].queryset = Department.objects.filter(committee=committee)
        from xieshang.topics.models import Topic  # the topics app sits above proposals

        self.fields["topic"].queryset = Topic.objects.filter(committee=committee)
        self.fields["sector"].choices = ([("", _("全部"))]
                                         + [(str(pk), name) for pk, name in Sector.objects.filter(
                                             committee=committee).values_list("pk", "name")]
                                         + [(SECTOR_NONE, _("无界别（含集体提案）"))])
        self.fields["outcome"].choices = [("", _("全部"))] + [
            (letter, label) for letter, label in local.outcome_labels(committee).items()]
