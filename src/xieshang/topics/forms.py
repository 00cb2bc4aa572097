"""Forms of the topic pages: a topic (name, keywords, order, active) and the year of the counts page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TopicForm(forms.Form):
    name = forms.CharField(label=_("专题名称"), max_length=20)
    keywords = forms.CharField(label=_("提示关键词"), required=False, max_length=1000,
                               help_text=_("用空格、逗号或顿号分隔；正文中出现这些词语时，系统会建议标注此专题。"))
    order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def data_for_action(self):
        data = dict(self.cleaned_data)
        if data.get("order") is None:
            data.pop("order", None)
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2999, required=False)
