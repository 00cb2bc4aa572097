"""Request and response shapes of the API.

Input schemas forbid unknown fields, so a typo is a 422 rather than a silently ignored value. References to
other organisation rows are ids (committees by code, accounts by username) and must lie in the same committee.
``*Patch`` schemas are for PATCH: only the fields sent are changed.
"""

import datetime
import uuid
from typing import Any, Generic, Optional, TypeVar

from ninja import Schema
from pydantic import ConfigDict, Field

T = TypeVar("T")


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class Page(Schema, Generic[T]):
    count: int = Field(description="符合条件的总数")
    limit: int
    offset: int
    items: list[T]


class Error(Schema):
    detail: str
    errors: Optional[dict[str, list[str]]] = None


class Ref(Schema):
    id: int
    name: str


# Committees ---------------------------------------------------------------------------------------------

class CommitteeOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    level: str
    parent: Optional[str] = Field(None, description="上级政协的代码")
    address: str
    phone: str

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


class CommitteeIn(Input):
    code: str
    name: str
    short_name: str = ""
    level: str
    parent: Optional[str] = Field(None, description="上级政协的代码")
    address: str = ""
    phone: str = ""


class CommitteePatch(Input):
    code: Optional[str] = None
    name: Optional[str] = None
    short_name: Optional[str] = None
    level: Optional[str] = None
    parent: Optional[str] = None
    address: Optional[str] = None
    phone: Optional[str] = None


# Terms and sessions -------------------------------------------------------------------------------------

class TermOut(Schema):
    id: int
    number: int
    start_date: datetime.date
    end_date: Optional[datetime.date]
    is_current: bool


class TermIn(Input):
    number: int
    start_date: datetime.date
    end_date: Optional[datetime.date] = None


class TermPatch(Input):
    number: Optional[int] = None
    start_date: Optional[datetime.date] = None
    end_date: Optional[datetime.date] = None


class SessionOut(Schema):
    id: int
    term_id: int
    number: int
    year: int
    plenary_start: datetime.date
    plenary_end: datetime.date
    proposal_window_start: Optional[datetime.date]
    proposal_window_end: Optional[datetime.date]


class SessionIn(Input):
    number: int
    year: int
    plenary_start: datetime.date
    plenary_end: datetime.date
    proposal_window_start: Optional[datetime.date] = None
    proposal_window_end: Optional[datetime.date] = None


class SessionPatch(Input):
    number: Optional[int] = None
    year: Optional[int] = None
    plenary_start: Optional[datetime.date] = None
    plenary_end: Optional[datetime.date] = None
    proposal_window_start: Optional[datetime.date] = None
    proposal_window_end: Optional[datetime.date] = None


# Sectors, special committees, liaison groups ------------------------------------------------------------

class SectorOut(Schema):
    id: int
    name: str
    order: int


class SectorIn(Input):
    name: str
    order: int = 0


class SectorPatch(Input):
    name: Optional[str] = None
    order: Optional[int] = None


class SpecialCommitteeOut(Schema):
    id: int
    name: str
    short_name: str
    order: int


class SpecialCommitteeIn(Input):
    name: str
    short_name: str = ""
    order: int = 0


class SpecialCommitteePatch(Input):
    name: Optional[str] = None
    short_name: Optional[str] = None
    order: Optional[int] = None


class LiaisonGroupOut(Schema):
    id: int
    name: str
    area: str
    leader_name: str
    contact_phone: str
    order: int


class LiaisonGroupIn(Input):
    name: str
    area: str = "street"
    leader_name: str = ""
    contact_phone: str = ""
    order: int = 0


class LiaisonGroupPatch(Input):
    name: Optional[str] = None
    area: Optional[str] = None
    leader_name: Optional[str] = None
    contact_phone: Optional[str] = None
    order: Optional[int] = None


# Members ------------------------------------------------------------------------------------------------

class MemberContacts(Schema):
    """Contacts and personal details: only for holders of ``org.view_member_contacts``."""

    mobile: str
    phone: str
    email: str
    address: str
    birth_date: Optional[datetime.date]


class MemberOut(Schema):
    id: int
    member_no: str
    name: str
    gender: str
    ethnicity: str
    party: str
    term_id: Optional[int]
    sector: Optional[Ref]
    special_committee: Optional[Ref]
    liaison_group: Optional[Ref]
    is_standing: bool
    unit: str
    post: str
    status: str
    contacts: Optional[MemberContacts] = Field(None, description="仅对有权查看联系方式者返回")


class MemberIn(Input):
    member_no: str = ""
    name: str
    gender: str = ""
    ethnicity: str = ""
    birth_date: Optional[datetime.date] = None
    party: str = ""
    term: Optional[int] = Field(None, description="届的 id")
    sector: Optional[int] = Field(None, description="界别的 id")
    special_committee: Optional[int] = Field(None, description="专委会的 id")
    liaison_group: Optional[int] = Field(None, description="联络组的 id")
    is_standing: bool = False
    unit: str = ""
    post: str = ""
    mobile: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    status: str = "active"


class MemberPatch(Input):
    member_no: Optional[str] = None
    name: Optional[str] = None
    gender: Optional[str] = None
    ethnicity: Optional[str] = None
    birth_date: Optional[datetime.date] = None
    party: Optional[str] = None
    term: Optional[int] = None
    sector: Optional[int] = None
    special_committee: Optional[int] = None
    liaison_group: Optional[int] = None
    is_standing: Optional[bool] = None
    unit: Optional[str] = None
    post: Optional[str] = None
    mobile: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    address: Optional[str] = None
    status: Optional[str] = None


# Departments and their staff ----------------------------------------------------------------------------

class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    contact_name: str
    contact_phone: str
    address: str
    is_active: bool


class DepartmentIn(Input):
    name: str
    short_name: str = ""
    kind: str
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""
    is_active: bool = True


class DepartmentPatch(Input):
    name: Optional[str] = None
    short_name: Optional[str] = None
    kind: Optional[str] = None
    contact_name: Optional[str] = None
    contact_phone: Optional[str] = None
    address: Optional[str] = None
    is_active: Optional[bool] = None


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    tier: str
    phone: Optional[str] = Field(None, description="仅对有权查看联系方式或管理本单位人员者返回")


class StaffIn(Input):
    username: str
    tier: str
    phone: str = ""


# Roles --------------------------------------------------------------------------------------------------

class RoleGrantOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    committee: Optional[str] = Field(None, description="政协代码；系统管理员为空")


class RoleGrantIn(Input):
    username: str
    role: str


# Audit --------------------------------------------------------------------------------------------------

class AuditEventOut(Schema):
    id: int
    group_id: uuid.UUID
    created_at: datetime.datetime
    actor: Optional[str]
    committee_id: Optional[int]
    verb: str
    target_type: Optional[str]
    target_id: str
    target_repr: str
    changes: dict[str, Any]
    note: str
    ip: str
    via: str


# Calendar -----------------------------------------------------------------------------------------------

class CalendarDayOut(Schema):
    date: datetime.date
    kind: str
    name: str


class CalendarYearOut(Schema):
    year: int
    loaded: bool
    days: list[CalendarDayOut]


class DeadlineOut(Schema):
    start: datetime.date
    due: datetime.date
    working_days: Optional[int] = None
    months: Optional[int] = None


# Me: notifications, workbench ---------------------------------------------------------------------------

class MeOut(Schema):
    username: str
    full_name: str
    committees: list[dict[str, Any]]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    committee_id: Optional[int]
    created_at: datetime.datetime
    read_at: Optional[datetime.datetime]


class TodoOut(Schema):
    kind: str
    title: str
    url: str
    due: Optional[datetime.date]
    committee: str
    detail: str
    overdue: bool
