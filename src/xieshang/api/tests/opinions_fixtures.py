"""The 社情民意 world for the API tests: the personas, editors and signers at the city and the province, a pinned
date, and short-hands that walk a report through the real actions with the right persona for each step."""

import datetime

import pytest

from xieshang.opinions import actions, dates
from xieshang.opinions.models import ReportCopy
from xieshang.org.models import Department, RoleGrant
from xieshang.testing import make_user

D = datetime.date.fromisoformat
# A Monday in 2026: the follow-up deadline (15 working days) stays inside the loaded calendar year.
TODAY = D("2026-03-02")

BODY = {"situation": "本区部分老旧小区二次供水设施老化，居民反映水质浑浊。",
        "analysis": "设施产权不清，维护责任难以落实。",
        "suggestion": "建议明确管护主体，设立改造专项资金。"}


class OpinionFlow:
    """Short-hands that walk a report through the workflow, each step by the persona whose job it is."""

    def __init__(self, p):
        self.p = p

    def draft(self, title="关于改善老旧小区二次供水的建议", *, author=None, **data):
        p = self.p
        return actions.do_create_report(p.district, {"title": title, **BODY, **data}, actor=author or p.member)

    def submitted(self, title="关于改善老旧小区二次供水的建议", *, author=None, **data):
        report = self.draft(title, author=author, **data)
        actions.do_submit_report(report, actor=author or self.p.member)
        return report

    @staticmethod
    def origin(report):
        return ReportCopy.objects.get(report=report, received_from__isnull=True)

    def pending(self, *args, **kw):
        return self.origin(self.submitted(*args, **kw))

    def edited(self, *args, **kw):
        copy = self.pending(*args, **kw)
        return actions.do_edit_copy(copy, actor=self.p.info_editor)

    def signed(self, *args, **kw):
        copy = self.edited(*args, **kw)
        return actions.do_sign_copy(copy, actor=self.p.info_signer)

    def returned(self, *args, **kw):
        copy = self.pending(*args, **kw)
        actions.do_return_copy(copy, reason="请补充具体小区名称。", actor=self.p.info_editor)
        return copy

    def dispatched(self, *args, department=None, **kw):
        copy = self.signed(*args, **kw)
        actions.do_dispatch_copy(copy, [{"kind": "department", "name": "", "department": department or self.p.dept_a}],
                                 actor=self.p.info_editor)
        return copy

    def instructed(self, *args, departments=None, **kw):
        """A signed district copy with a district leader's instruction giving dept_a a follow-up task."""
        copy = self.signed(*args, **kw)
        instruction = actions.do_record_instruction(
            copy, leader_name="张区长", leader_title="区长", text="请区生态环境局研究解决。", instructed_on=TODAY,
            departments=departments if departments is not None else [self.p.dept_a], actor=self.p.info_editor)
        return copy, instruction

    def forwarded(self, *args, **kw):
        """The city's copy of a report signed at the district and forwarded up."""
        copy = self.signed(*args, **kw)
        return actions.do_forward_to_parent(copy, actor=self.p.info_editor)


@pytest.fixture(name="ow")
def opinion_world(personas, monkeypatch):
    """The personas plus editors and signers at the city and the province, a city department, a pinned date."""
    p = personas
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    for level in ("city", "province"):
        for role, short in (("info_editor", "editor"), ("info_signer", "signer")):
            user = make_user(f"{level}_{short}", f"{level}{short}")
            RoleGrant.objects.create(user=user, committee=getattr(p, level), role=role)
            setattr(p, f"{level}_{short}", user)
    p.city_dept = Department.objects.create(committee=p.city, name="市生态环境局", kind="government")
    p.flow = OpinionFlow(p)
    return p
