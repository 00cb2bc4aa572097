from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]{1,39}$", _("代码只能包含小写字母、数字和连字符，2–40 位。"))


class Committee(models.Model):
    """A CPPCC committee at one level; its parent is the committee one level up (district → city → …)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")

    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级政协"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("政协组织")
        verbose_name_plural = _("政协组织")

    def __str__(self):
        return self.name

    @property
    def audit_committee(self):
        return self.pk

    def ancestors(self):
        """The committees above this one, nearest first."""
        out, node = [], self.parent
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out


class CommitteeOwned(models.Model):
    """Base for rows that belong to one committee; the audit trail files them under it."""

    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), on_delete=models.PROTECT)

    class Meta:
        abstract = True

    @property
    def audit_committee(self):
        return self.committee_id


class Term(CommitteeOwned):
    """届: a committee's five-year term."""

    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        ordering = ["committee", "-number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="uniq_term_number")]
        verbose_name = _("届")
        verbose_name_plural = _("届")

    def __str__(self):
        return _("第%(n)s届") % {"n": self.number}


class Session(models.Model):
    """次: one plenary session of a term, with its dates and the window for plenary proposals (大会提案)."""

    term = models.ForeignKey(Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("次"))
    plenary_start = models.DateField(_("会议开始"))
    plenary_end = models.DateField(_("会议结束"))
    proposal_window_start = models.DateField(_("大会提案征集开始"), null=True, blank=True)
    proposal_window_end = models.DateField(_("大会提案截止"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="uniq_session_number")]
        verbose_name = _("会次")
        verbose_name_plural = _("会次")

    def __str__(self):
        return _("第%(term)s届第%(n)s次会议") % {"term": self.term.number, "n": self.number}

    @property
    def audit_committee(self):
        return self.term.committee_id

    @property
    def committee(self):
        return self.term.committee

    def is_plenary_window(self, day):
        """True when a submission on ``day`` counts as a plenary proposal (大会提案), else 平时提案."""
        if not (self.proposal_window_start and self.proposal_window_end):
            return False
        return self.proposal_window_start <= day <= self.proposal_window_end


class Sector(CommitteeOwned):
    """界别."""

    name = models.CharField(_("名称"), max_length=60)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="uniq_sector_name")]
        verbose_name = _("界别")
        verbose_name_plural = _("界别")

    def __str__(self):
        return self.name


class SpecialCommittee(CommitteeOwned):
    """专门委员会 (专委会)."""

    name = models.CharField(_("名称"), max_length=60)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="uniq_special_committee_name")]
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")

    def __str__(self):
        return self.name


class LiaisonGroup(CommitteeOwned):
    """乡镇、街道政协工作联络组."""

    class Area(models.TextChoices):
        STREET = "street", _("街道")
        TOWNSHIP = "township", _("乡镇")

    name = models.CharField(_("名称"), max_length=60)
    area = models.CharField(_("所在"), max_length=10, choices=Area.choices, default=Area.STREET)
    leader_name = models.CharField(_("组长"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["committee", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="uniq_liaison_group_name")]
        verbose_name = _("联络组")
        verbose_name_plural = _("联络组")

    def __str__(self):
        return self.name


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def standing(self):
        return self.filter(is_standing=True)


class Member(CommitteeOwned):
    """A committee member (委员) in one term, with the profile fields of domain.md §8."""

    class Gender(models.TextChoices):
        MALE = "m", _("男")
        FEMALE = "f", _("女")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        SUSPENDED = "suspended", _("暂停履职")
        LEFT = "left", _("已离任")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="memberships",
    )
    term = models.ForeignKey(Term, verbose_name=_("届"), null=True, blank=True, on_delete=models.PROTECT)
    member_no = models.CharField(_("委员编号"), max_length=20, blank=True)
    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(_("党派"), max_length=40, blank=True)
    sector = models.ForeignKey(Sector, verbose_name=_("界别"), null=True, blank=True, on_delete=models.PROTECT)
    special_committee = models.ForeignKey(
        SpecialCommittee, verbose_name=_("专委会"), null=True, blank=True, on_delete=models.PROTECT
    )
    liaison_group = models.ForeignKey(
        LiaisonGroup, verbose_name=_("联络组"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_standing = models.BooleanField(_("常委"), default=False)
    unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    phone = models.CharField(_("办公电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "sector__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "member_no"], condition=~models.Q(member_no=""), name="uniq_member_no"
            )
        ]
        indexes = [models.Index(fields=["committee", "status"])]
        verbose_name = _("委员")
        verbose_name_plural = _("委员")

    def __str__(self):
        return self.name


class Department(CommitteeOwned):
    """承办单位: a unit that handles proposals and reports, with its staff in three tiers."""

    class Kind(models.TextChoices):
        PARTY = "party", _("党群部门")
        GOVERNMENT = "government", _("政府部门")
        LEGAL = "legal", _("政法机关")
        ORGANISATION = "organisation", _("人民团体")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=14, choices=Kind.choices)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["committee", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="uniq_department_name")]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")

    def __str__(self):
        return self.name


class DepartmentStaff(models.Model):
    """A department's user account at one of three tiers: 分管领导 / 办公室 / 经办人."""

    class Tier(models.TextChoices):
        LEADER = "leader", _("分管领导")
        OFFICE = "office", _("办公室")
        HANDLER = "handler", _("经办人")

    department = models.ForeignKey(Department, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.CASCADE, related_name="department_posts")
    tier = models.CharField(_("层级"), max_length=10, choices=Tier.choices)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    class Meta:
        ordering = ["department", "tier", "id"]
        constraints = [models.UniqueConstraint(fields=["department", "user"], name="uniq_department_staff")]
        verbose_name = _("承办单位人员")
        verbose_name_plural = _("承办单位人员")

    def __str__(self):
        return f"{self.department} · {self.get_tier_display()} · {self.user.get_full_name() or self.user.username}"

    @property
    def audit_committee(self):
        return self.department.committee_id


class Informant(CommitteeOwned):
    """特邀信息员: an appointed reporter of social-situation information who is not a committee member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="informant_posts",
    )
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=20, blank=True)
    appointed_on = models.DateField(_("聘任日期"), null=True, blank=True)
    ends_on = models.DateField(_("聘期截止"), null=True, blank=True)
    is_active = models.BooleanField(_("在聘"), default=True)

    class Meta:
        ordering = ["committee", "id"]
        indexes = [models.Index(fields=["committee", "is_active"])]
        verbose_name = _("特邀信息员")
        verbose_name_plural = _("特邀信息员")

    def __str__(self):
        return self.name


class RoleGrant(models.Model):
    """A committee-level role held by a user. ``committee`` is empty only for the system administrator.

    Members and department staff hold their roles through ``Member.user`` and ``DepartmentStaff``;
    see ``org.roles``.
    """

    class Role(models.TextChoices):
        PROPOSAL_STAFF = "proposal_staff", _("提案工作人员")
        INFO_EDITOR = "info_editor", _("信息编辑")
        INFO_SIGNER = "info_signer", _("信息签发人")
        OFFICE_ADMIN = "office_admin", _("办公室管理员")
        COMMITTEE_LEADER = "committee_leader", _("政协领导")
        AUDITOR = "auditor", _("审计员（只读）")
        SYSADMIN = "sysadmin", _("系统管理员")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_grants")
    committee = models.ForeignKey(Committee, verbose_name=_("政协组织"), null=True, blank=True, on_delete=models.CASCADE)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "committee", "role"], name="uniq_role_grant")]
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")

    def __str__(self):
        return f"{self.user} · {self.committee or '-'} · {self.get_role_display()}"

    @property
    def audit_committee(self):
        return self.committee_id


class CommitteeSetting(CommitteeOwned):
    """One per-committee value of a local rule declared in ``org.settings_registry``."""

    key = models.CharField(_("设置项"), max_length=80)
    value = models.JSONField(_("值"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "key"], name="uniq_committee_setting")]
        verbose_name = _("本会设置")
        verbose_name_plural = _("本会设置")

    def __str__(self):
        return f"{self.committee} · {self.key}"


class ImportJob(CommitteeOwned):
    """One Excel import: applied whole, or failed whole with its row errors kept for the uploader."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("委员")
        DEPARTMENTS = "departments", _("承办单位")

    class Status(models.TextChoices):
        APPLIED = "applied", _("已导入")
        FAILED = "failed", _("导入失败")

    kind = models.CharField(_("导入内容"), max_length=20, choices=Kind.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    row_count = models.PositiveIntegerField(_("行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    resolved = models.BooleanField(_("已处理"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self):
        return f"{self.get_kind_display()} {self.filename}"
