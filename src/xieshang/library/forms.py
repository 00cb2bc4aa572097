from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Document


class ImportForm(forms.Form):
    title = forms.CharField(label=_("标题"), required=False, max_length=200,
                            help_text=_("留空时使用正文中的“标题：”一行或文件名。"))
    kind = forms.ChoiceField(label=_("类型"), choices=Document.Kind.choices, initial=Document.Kind.OTHER)
    source = forms.CharField(label=_("来源"), required=False, max_length=200)
    file = forms.FileField(label=_("文件（.txt、.docx 或 .pdf）"), required=False)
    text = forms.CharField(label=_("或粘贴正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}))

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴正文。"))
        if data.get("file") and (data.get("text") or "").strip():
            raise forms.ValidationError(_("请只选择一种方式：上传文件或粘贴正文。"))
        return data
