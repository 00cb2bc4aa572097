"""Request and response shapes of the 社情民意 (public-opinion reports) endpoints.

Inputs forbid unknown fields (``schemas.Input``); references to organisation rows are ids that must lie in the
right committee (the router resolves them, a foreign id is a 422). Outputs are built by the router as plain
dicts, so what a caller sees is decided in one place (``api/routers/opinions.py``).
"""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from .schemas import Input, Ref

CopyState = Literal["pending", "returned", "edited", "signed", "adopted", "kept", "withdrawn"]
RecipientKind = Literal["committee_leader", "party_leader", "government_leader", "department"]
AdoptionKind = Literal["single", "comprehensive"]


# ------------------------------------------------------------------------------------------------ filters

class ReportFilters(Schema):
    committee: str | None = Field(None, description="政协组织代码")
    status: list[Literal["draft", "submitted", "returned", "withdrawn"]] | None = Field(
        None, description="状态，可重复")
    year: int | None = Field(None, ge=1949, le=2100, description="年度")


class QueueFilters(Schema):
    status: list[CopyState] | None = Field(
        None, description="状态，可重复；不填即待处理（待核稿、已核稿待签发）")
    urgent: bool | None = Field(None, description="仅紧急（true）或仅非紧急（false）")
    year: int | None = Field(None, ge=1949, le=2100, description="年度")


class FollowUpFilters(Schema):
    status: list[Literal["open", "reported", "closed"]] | None = Field(None, description="状态，可重复")


class CompareParams(Schema):
    a: int | None = Field(None, ge=1, description="旧版本号；不填即 b 之前的一个可见版本")
    b: int | None = Field(None, ge=1, description="新版本号；不填即本级当前版本")


# ------------------------------------------------------------------------------------------------ outputs

class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: datetime.datetime


class OriginCopyOut(Schema):
    id: int
    status: str
    return_reason: str


class ReportSummary(Schema):
    id: int
    committee: str
    year: int
    number: str
    title: str
    status: str
    is_urgent: bool
    author_kind: str
    author_name: str
    on_behalf: bool
    submitted_at: datetime.datetime | None
    created_at: datetime.datetime


class ReportOut(ReportSummary):
    situation: str
    analysis: str
    suggestion: str
    body_length: int
    collective_type: str
    collective_name: str
    member_id: int | None
    informant_id: int | None
    contact_name: str | None = Field(None, description="仅对作者和本级信息编辑返回")
    contact_phone: str | None = Field(None, description="仅对作者和本级信息编辑返回")
    source_proposal: int | None
    origin_copy: OriginCopyOut | None
    attachments: list[AttachmentOut]


class VersionSummary(Schema):
    number: int
    kind: str
    committee: str | None
    title: str
    created_at: datetime.datetime


class VersionOut(VersionSummary):
    situation: str
    analysis: str
    suggestion: str
    note: str


class CompareOut(Schema):
    a: int
    b: int
    diff: str = Field(description="统一差异格式（unified diff）")


class DispatchOut(Schema):
    id: int
    kind: str
    recipient_name: str
    department: Ref | None
    parent_copy: int | None = Field(None, description="报送上级政协时：上级的报送记录 id")
    sent_at: datetime.datetime


class AdoptionOut(Schema):
    id: int
    level: str
    external: bool
    kind: str
    adopted_by: str
    adopted_on: datetime.date
    note: str


class FollowUpSummary(Schema):
    id: int
    report_id: int
    title: str
    department: Ref
    status: str
    assigned_on: datetime.date
    due_on: datetime.date
    responded_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class InstructionBrief(Schema):
    id: int
    level: str
    external: bool
    leader_name: str
    leader_title: str
    text: str
    instructed_on: datetime.date


class InstructionOut(InstructionBrief):
    follow_ups: list[FollowUpSummary]


class FollowUpOut(FollowUpSummary):
    instruction: InstructionBrief
    response: str
    review_note: str


class CopySummary(Schema):
    id: int
    report_id: int
    committee: str
    level: str
    year: int
    number: str
    title: str
    author_name: str
    status: str
    is_urgent: bool
    received_at: datetime.datetime
    received_from: str | None = Field(None, description="下级政协的代码；本级收到的原始信息为空")


class CopyOut(CopySummary):
    version: VersionOut
    versions: list[VersionSummary]
    return_reason: str
    kept_reason: str
    edited_at: datetime.datetime | None
    signed_at: datetime.datetime | None
    adopted_at: datetime.datetime | None
    forwarded_to: int | None = Field(None, description="已报送上级政协时：上级的报送记录 id（若可见）")
    dispatches: list[DispatchOut]
    adoptions: list[AdoptionOut]
    instructions: list[InstructionOut]


class ChainLevel(Schema):
    copy_id: int
    committee: Ref
    committee_code: str
    level: str
    status: str
    received_at: datetime.datetime
    signed_at: datetime.datetime | None
    adopted_at: datetime.datetime | None
    dispatches: list[DispatchOut]
    adoptions: list[AdoptionOut]
    instructions: list[InstructionOut]


class ChainOut(Schema):
    report: ReportSummary
    levels: list[ChainLevel] = Field(description="报送所到的各级，由下而上")
    highest_level: str | None
    adopted_levels: list[str]
    instructed_levels: list[str]


class BulletinEntryOut(Schema):
    id: int
    order: int
    kind: str
    title: str
    body: str
    copies: list[int]


class BulletinSummary(Schema):
    id: int
    committee: str
    year: int
    number: int | None
    status: str
    signer_name: str
    published_on: datetime.date | None
    created_at: datetime.datetime


class BulletinOut(BulletinSummary):
    entries: list[BulletinEntryOut]


# ------------------------------------------------------------------------------------------------ inputs

class ReportIn(Input):
    title: str
    situation: str = ""
    analysis: str = ""
    suggestion: str = ""
    is_urgent: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    member: int | None = Field(None, description="代为报送：委员 id")
    informant: int | None = Field(None, description="代为报送：特邀信息员 id")
    collective_type: Literal["", "party", "organisation", "special_committee", "sector", "liaison_group"] = ""
    collective_name: str = ""


class ReportPatch(Input):
    title: str | None = None
    situation: str | None = None
    analysis: str | None = None
    suggestion: str | None = None
    is_urgent: bool | None = None
    contact_name: str | None = None
    contact_phone: str | None = None


class OptionalReasonIn(Input):
    reason: str = ""


class ReasonIn(Input):
    reason: str


class NoteIn(Input):
    note: str = ""


class RequiredNoteIn(Input):
    note: str


class EditIn(Input):
    """核稿: send the fields to rewrite (a new version at this level), or none to pass the text as it is."""

    title: str | None = None
    situation: str | None = None
    analysis: str | None = None
    suggestion: str | None = None
    note: str = ""


class RecipientIn(Input):
    kind: RecipientKind
    name: str = ""
    department: int | None = Field(None, description="部门 id（本级或信息来源的下级政协的部门）")


class DispatchIn(Input):
    recipients: list[RecipientIn] = Field(min_length=1)


class AdoptIn(Input):
    kind: AdoptionKind
    adopted_by: str
    adopted_on: datetime.date
    note: str = ""
    external_level: Literal["", "national", "provincial", "city", "county"] = Field(
        "", description="部署以外的上级层级采用时填写")


class InstructIn(Input):
    leader_name: str
    leader_title: str = ""
    text: str
    instructed_on: datetime.date
    departments: list[int] = Field(default_factory=list, description="跟踪问效的部门 id")
    external_level: Literal["", "national", "provincial", "city", "county"] = ""


class FollowUpReportIn(Input):
    response: str


class BulletinIn(Input):
    year: int | None = Field(None, ge=1949, le=2100)


class BulletinEntryIn(Input):
    copies: list[int] = Field(min_length=1, description="报送记录 id")
    kind: Literal["single", "comprehensive"]
    title: str = ""
    body: str = ""


class PublishIn(Input):
    signer_name: str
    published_on: datetime.date | None = None
