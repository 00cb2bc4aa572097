"""Audit verb labels of the 社情民意 workflow (one per transition-table verb and per action)."""

from django.utils.translation import gettext_lazy as _

from xieshang.core import verbs

verbs.register("opinions.submitted", _("提交了社情民意信息"))
verbs.register("opinions.resubmitted", _("重新提交了社情民意信息"))
verbs.register("opinions.returned", _("退回了社情民意信息"))
verbs.register("opinions.withdrawn", _("撤回了社情民意信息"))
verbs.register("opinions.copy_edited", _("完成了核稿"))
verbs.register("opinions.copy_returned", _("将信息退回作者修改"))
verbs.register("opinions.copy_kept", _("将信息留存"))
verbs.register("opinions.copy_resubmitted", _("作者修改后重新报送"))
verbs.register("opinions.copy_withdrawn", _("作者撤回了信息"))
verbs.register("opinions.copy_signed", _("签发了信息"))
verbs.register("opinions.copy_sent_back", _("签发人退回重新核稿"))
verbs.register("opinions.copy_adopted", _("采用了信息"))
verbs.register("opinions.copy_reopened", _("重新启用了留存信息"))
verbs.register("opinions.follow_up_reported", _("部门反馈了办理情况"))
verbs.register("opinions.follow_up_closed", _("跟踪问效办结"))
verbs.register("opinions.follow_up_reopened", _("要求部门补充办理情况"))
verbs.register("opinions.bulletin_published", _("印发了社情民意期刊"))
# Actions that are not moves of a transition table.
verbs.register("opinions.drafted", _("起草了社情民意信息"))
verbs.register("opinions.draft_updated", _("修改了社情民意信息草稿"))
verbs.register("opinions.attachment_added", _("添加了附件"))
verbs.register("opinions.attachment_removed", _("删除了附件"))
verbs.register("opinions.converted_from_proposal", _("由提案转为社情民意信息"))
verbs.register("opinions.copy_created", _("收到社情民意信息"))
verbs.register("opinions.copy_reedited", _("再次修改了信息稿"))
verbs.register("opinions.dispatched", _("报送了信息"))
verbs.register("opinions.forwarded", _("报送上级政协"))
verbs.register("opinions.adoption_recorded", _("记录了采用情况"))
verbs.register("opinions.instruction_recorded", _("记录了领导批示"))
verbs.register("opinions.bulletin_created", _("新建了社情民意期刊"))
verbs.register("opinions.bulletin_entry_added", _("向期刊添加了文章"))
verbs.register("opinions.bulletin_entry_removed", _("从期刊移除了文章"))
