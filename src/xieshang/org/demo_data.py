"""The fictional demo committees: a province (示范省政协) above a city (示范市政协) above one district committee.

The district is shaped like a real district committee: about 220 members in 25 sectors (界别), 7 special
committees, 7 street/township liaison groups, about 60 handling departments (among them public security,
the procuratorate and the court), the current term with its sessions and proposal windows, and about 40
standing members. Everything is written through ``org.actions`` (actor ``None``, the system), so the demo
leaves the same audit trail as real use.

Contracts:

* Deterministic: names and profiles come from fixed lists and a seeded ``random.Random``; two databases
  loaded with the demo hold the same rows.
* Idempotent: every row is looked up by its natural key first and only created when missing, so running
  :func:`load_demo` again changes nothing (and returns an empty counter). A persona whose password was changed
  gets the demo password back; that is counted as a change.
* One run is one action (one transaction, one audit group): it applies completely or not at all.
"""

import base64
import datetime
import random
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from xieshang.core.audit import action

from . import actions, roles
from .models import (
    Committee,
    Department,
    DepartmentStaff,
    Informant,
    LiaisonGroup,
    Member,
    RoleGrant,
    Sector,
    Session,
    SpecialCommittee,
    Term,
)

# One password for every demo login: easy to type, and it meets the password policy (10+ characters,
# upper and lower case, digits and a symbol; not similar to any demo username).
DEMO_PASSWORD = "Xieshang-Demo-2026"
# One TOTP secret for every demo staff login, so one authenticator entry serves them all. 20 bytes, as RFC 6238.
DEMO_TOTP_KEY = b"xieshang-demo-totp!!"
DEMO_TOTP_HEX = DEMO_TOTP_KEY.hex()
DEMO_TOTP_BASE32 = base64.b32encode(DEMO_TOTP_KEY).decode()

SEED = 20220115

PROVINCE = {"code": "shifansheng", "name": "示范省政协", "short_name": "省政协", "level": Committee.Level.PROVINCIAL,
            "address": "示范省省府路1号", "phone": "0998-12340000"}
CITY = {"code": "shifan", "name": "示范市政协", "short_name": "市政协", "level": Committee.Level.CITY,
        "address": "示范市人民大道1号", "phone": "0999-12345000"}
DISTRICT = {"code": "dongcheng", "name": "示范市东城区政协", "short_name": "东城区政协", "level": Committee.Level.COUNTY,
            "address": "示范市东城区府前街8号", "phone": "0999-12346000"}

# 界别 and how many of the district's members sit in each (220 in all).
SECTORS = [
    ("中共", 30), ("民革", 5), ("民盟", 6), ("民建", 6), ("民进", 6), ("农工党", 5), ("致公党", 4), ("九三学社", 5),
    ("无党派人士", 8), ("共青团", 5), ("工会", 7), ("妇联", 7), ("工商联", 12), ("科技界", 10), ("教育界", 14),
    ("文化艺术界", 9), ("医药卫生界", 13), ("体育界", 5), ("新闻出版界", 5), ("经济界", 18), ("农业界", 10),
    ("社会福利和社会保障界", 8), ("少数民族界", 7), ("宗教界", 5), ("特邀人士", 10),
]
# The party a member of a party sector belongs to; other sectors draw from PARTY_MIX.
SECTOR_PARTY = {
    "中共": "中共", "民革": "民革", "民盟": "民盟", "民建": "民建", "民进": "民进", "农工党": "农工党",
    "致公党": "致公党", "九三学社": "九三学社", "无党派人士": "无党派人士",
}
PARTY_MIX = ["中共", "中共", "中共", "群众", "群众", "无党派人士", "民盟", "民进", "九三学社"]

SPECIAL_COMMITTEES = [
    ("提案委员会", "提案委"), ("经济委员会", "经济委"), ("社会和法制委员会", "社法委"), ("学习文史委员会", "文史委"),
    ("人口资源环境委员会", "人资环委"), ("教科卫体委员会", "教科卫体委"), ("港澳台侨和外事委员会", "港澳台侨外事委"),
]

LIAISON_GROUPS = [
    ("东华街道政协工作联络组", LiaisonGroup.Area.STREET), ("西湖街道政协工作联络组", LiaisonGroup.Area.STREET),
    ("南关街道政协工作联络组", LiaisonGroup.Area.STREET), ("北苑街道政协工作联络组", LiaisonGroup.Area.STREET),
    ("新城街道政协工作联络组", LiaisonGroup.Area.STREET), ("青山镇政协工作联络组", LiaisonGroup.Area.TOWNSHIP),
    ("河口乡政协工作联络组", LiaisonGroup.Area.TOWNSHIP),
]

_K = Department.Kind
DEPARTMENTS = [
    # 党群部门
    ("区委办公室", _K.PARTY), ("区委组织部", _K.PARTY), ("区委宣传部", _K.PARTY), ("区委统战部", _K.PARTY),
    ("区委政法委员会", _K.PARTY), ("区纪委监委", _K.PARTY), ("区委机构编制委员会办公室", _K.PARTY),
    ("区委老干部局", _K.PARTY), ("区委社会工作部", _K.PARTY),
    # 政府部门
    ("区政府办公室", _K.GOVERNMENT), ("区发展和改革局", _K.GOVERNMENT), ("区教育局", _K.GOVERNMENT),
    ("区科学技术局", _K.GOVERNMENT), ("区工业和信息化局", _K.GOVERNMENT), ("区民族宗教事务局", _K.GOVERNMENT),
    ("区民政局", _K.GOVERNMENT), ("区司法局", _K.GOVERNMENT), ("区财政局", _K.GOVERNMENT),
    ("区人力资源和社会保障局", _K.GOVERNMENT), ("区自然资源局", _K.GOVERNMENT), ("区生态环境局", _K.GOVERNMENT),
    ("区住房和城乡建设局", _K.GOVERNMENT), ("区交通运输局", _K.GOVERNMENT), ("区水务局", _K.GOVERNMENT),
    ("区农业农村局", _K.GOVERNMENT), ("区商务局", _K.GOVERNMENT), ("区文化和旅游局", _K.GOVERNMENT),
    ("区卫生健康委员会", _K.GOVERNMENT), ("区退役军人事务局", _K.GOVERNMENT), ("区应急管理局", _K.GOVERNMENT),
    ("区审计局", _K.GOVERNMENT), ("区市场监督管理局", _K.GOVERNMENT), ("区统计局", _K.GOVERNMENT),
    ("区医疗保障局", _K.GOVERNMENT), ("区城市管理局", _K.GOVERNMENT), ("区信访局", _K.GOVERNMENT),
    ("区体育局", _K.GOVERNMENT), ("区林业和草原局", _K.GOVERNMENT), ("区政务服务管理局", _K.GOVERNMENT),
    ("区数据局", _K.GOVERNMENT), ("东华街道办事处", _K.GOVERNMENT), ("西湖街道办事处", _K.GOVERNMENT),
    ("南关街道办事处", _K.GOVERNMENT), ("北苑街道办事处", _K.GOVERNMENT), ("新城街道办事处", _K.GOVERNMENT),
    ("青山镇人民政府", _K.GOVERNMENT), ("河口乡人民政府", _K.GOVERNMENT),
    # 政法机关
    ("区公安分局", _K.LEGAL), ("区人民检察院", _K.LEGAL), ("区人民法院", _K.LEGAL),
    # 人民团体
    ("区总工会", _K.ORGANISATION), ("共青团区委", _K.ORGANISATION), ("区妇女联合会", _K.ORGANISATION),
    ("区工商业联合会", _K.ORGANISATION), ("区科学技术协会", _K.ORGANISATION), ("区残疾人联合会", _K.ORGANISATION),
    ("区文学艺术界联合会", _K.ORGANISATION), ("区红十字会", _K.ORGANISATION),
    # 其他（垂直管理单位、公用事业企业）
    ("国家税务总局示范市东城区税务局", _K.OTHER), ("区消防救援大队", _K.OTHER), ("国网示范市东城供电公司", _K.OTHER),
    ("区供水公司", _K.OTHER), ("区燃气公司", _K.OTHER), ("区融媒体中心", _K.OTHER),
]
LEGAL_BODIES = ("区公安分局", "区人民检察院", "区人民法院")

CITY_DEPARTMENTS = [
    ("市政府办公室", _K.GOVERNMENT), ("市发展和改革委员会", _K.GOVERNMENT), ("市教育局", _K.GOVERNMENT),
    ("市生态环境局", _K.GOVERNMENT), ("市卫生健康委员会", _K.GOVERNMENT), ("市住房和城乡建设局", _K.GOVERNMENT),
    ("市公安局", _K.LEGAL), ("市人民检察院", _K.LEGAL), ("市中级人民法院", _K.LEGAL), ("市总工会", _K.ORGANISATION),
]

PROVINCE_DEPARTMENTS = [
    ("省政府办公厅", _K.GOVERNMENT), ("省发展和改革委员会", _K.GOVERNMENT), ("省教育厅", _K.GOVERNMENT),
    ("省生态环境厅", _K.GOVERNMENT), ("省卫生健康委员会", _K.GOVERNMENT), ("省住房和城乡建设厅", _K.GOVERNMENT),
]

# 第十五届, elected January 2022; one plenary session each January, proposals collected from three weeks
# before the plenary until its last day.
TERMS = [(14, datetime.date(2017, 1, 10), datetime.date(2022, 1, 9)), (15, datetime.date(2022, 1, 10), None)]
CURRENT_TERM = 15
SESSIONS = [  # (number, plenary start, plenary end)
    (1, datetime.date(2022, 1, 10), datetime.date(2022, 1, 13)),
    (2, datetime.date(2023, 1, 9), datetime.date(2023, 1, 12)),
    (3, datetime.date(2024, 1, 8), datetime.date(2024, 1, 11)),
    (4, datetime.date(2025, 1, 13), datetime.date(2025, 1, 16)),
    (5, datetime.date(2026, 1, 12), datetime.date(2026, 1, 15)),
]
STANDING_MEMBERS = 40

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "建国伟军强磊洋勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆斌毅峰志东海文博晨亮忠"
GIVEN_FEMALE = "秀英芳娜敏静丽艳娟霞燕玲桂兰萍红梅琳雪婷颖倩洁慧晶璐佳欣悦怡岚"
ETHNIC_MINORITIES = ["回族", "满族", "蒙古族", "壮族", "藏族", "苗族", "土家族"]

# Where members of a sector typically work, and their posts there.
SECTOR_UNITS = {
    "中共": [("区委办公室", "副主任"), ("区发展和改革局", "局长"), ("东华街道办事处", "党工委书记"), ("区财政局", "副局长")],
    "共青团": [("共青团区委", "副书记"), ("区第二中学", "团委书记")],
    "工会": [("区总工会", "副主席"), ("示范机械厂", "工会主席")],
    "妇联": [("区妇女联合会", "副主席"), ("西湖社区", "社区主任")],
    "工商联": [("东城商贸集团有限公司", "董事长"), ("示范新材料科技有限公司", "总经理"), ("区工商业联合会", "副主席")],
    "科技界": [("示范市农业科学研究院", "研究员"), ("东城高新技术产业园", "副主任"), ("示范智能装备有限公司", "总工程师")],
    "教育界": [("区第一中学", "校长"), ("区实验小学", "副校长"), ("示范职业技术学院", "教授"), ("区第三幼儿园", "园长")],
    "文化艺术界": [("区文化馆", "馆长"), ("示范市歌舞团", "演员"), ("区图书馆", "副馆长")],
    "医药卫生界": [("区人民医院", "主任医师"), ("区中医医院", "院长"), ("区疾病预防控制中心", "副主任"), ("南关社区卫生服务中心", "主任")],
    "体育界": [("区体育运动学校", "教练员"), ("区全民健身中心", "主任")],
    "新闻出版界": [("区融媒体中心", "主任记者"), ("示范日报社", "编辑")],
    "经济界": [("东城投资集团有限公司", "总经理"), ("示范银行东城支行", "行长"), ("区统计局", "副局长"), ("示范物流有限公司", "董事长")],
    "农业界": [("青山镇现代农业合作社", "理事长"), ("河口乡人民政府", "副乡长"), ("区农业技术推广中心", "高级农艺师")],
    "社会福利和社会保障界": [("区社会福利院", "院长"), ("区残疾人联合会", "理事长"), ("区养老服务中心", "主任")],
    "少数民族界": [("区民族宗教事务局", "副局长"), ("北苑社区", "社区书记")],
    "宗教界": [("区佛教协会", "会长"), ("区伊斯兰教协会", "副会长"), ("区基督教两会", "主席")],
    "特邀人士": [("区人民法院", "副院长"), ("区人民检察院", "检察官"), ("区公安分局", "副局长"), ("示范律师事务所", "主任律师")],
}
DEFAULT_UNITS = [("示范大学", "教授"), ("东城区建筑设计院", "高级工程师"), ("区人民医院", "副主任医师"), ("示范实业有限公司", "总经理")]


@dataclass(frozen=True)
class Persona:
    """One demo login: ``role`` is the role id in ``org.roles`` (``cosigner`` is a member who co-signs)."""

    key: str
    username: str
    label: object
    staff: bool


PERSONAS = [
    Persona("member", "member", _("委员"), False),
    Persona("cosigner", "cosigner", _("委员（联名人）"), False),
    Persona("proposal_staff", "proposal_staff", _("提案工作人员"), True),
    Persona("info_editor", "info_editor", _("信息编辑"), True),
    Persona("office_admin", "office_admin", _("办公室管理员"), True),
    Persona("dept_handler", "dept_handler", _("承办单位经办人（区生态环境局）"), True),
    Persona("dept_leader", "dept_leader", _("承办单位分管领导（区生态环境局）"), True),
    Persona("committee_leader", "committee_leader", _("政协领导"), True),
    Persona("auditor", "auditor", _("审计员（只读）"), True),
    Persona("sysadmin", "sysadmin", _("系统管理员"), True),
    Persona("city_staff", "city_staff", _("市政协提案工作人员"), True),
    # Added with 社情民意 (at the end, so the names drawn for the personas above stay the same).
    Persona("info_signer", "info_signer", _("信息签发人"), True),
    Persona("informant", "informant", _("特邀信息员（非委员）"), False),
    Persona("city_editor", "city_editor", _("市政协信息编辑（兼签发）"), True),
]
# The role each persona must hold, and where ("district", "city" or None for deployment-wide).
PERSONA_ROLES = {
    "member": (roles.MEMBER, "district"),
    "cosigner": (roles.MEMBER, "district"),
    "proposal_staff": (roles.PROPOSAL_STAFF, "district"),
    "info_editor": (roles.INFO_EDITOR, "district"),
    "info_signer": (roles.INFO_SIGNER, "district"),
    "informant": (roles.INFORMANT, "district"),
    "office_admin": (roles.OFFICE_ADMIN, "district"),
    "dept_handler": (roles.DEPT_HANDLER, "district"),
    "dept_leader": (roles.DEPT_LEADER, "district"),
    "committee_leader": (roles.COMMITTEE_LEADER, "district"),
    "auditor": (roles.AUDITOR, "district"),
    "sysadmin": (roles.SYSADMIN, None),
    "city_staff": (roles.PROPOSAL_STAFF, "city"),
    "city_editor": (roles.INFO_EDITOR, "city"),
}
PERSONA_DEPARTMENT = "区生态环境局"


class NameGenerator:
    """Plausible, made-up Chinese names from fixed lists; never the same full name twice in one generator."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def __call__(self, gender):
        chars = GIVEN_MALE if gender == Member.Gender.MALE else GIVEN_FEMALE
        while True:
            given = self.rng.choice(chars)
            if self.rng.random() < 0.7:
                given += self.rng.choice(chars)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def member_profiles(rng, *, prefix="D15"):
    """The district's 220 member profiles, as dicts of Member fields (sector, committee and group by name).

    Standing members (常委) are spread across sectors; special committees and liaison groups go round robin.
    """
    names = NameGenerator(rng)
    out = []
    index = 0
    for sector, count in SECTORS:
        units = SECTOR_UNITS.get(sector, DEFAULT_UNITS)
        for _i in range(count):
            index += 1
            gender = Member.Gender.FEMALE if rng.random() < 0.38 else Member.Gender.MALE
            unit, post = rng.choice(units)
            out.append({
                "member_no": f"{prefix}-{index:03d}",
                "name": names(gender),
                "gender": gender,
                "ethnicity": rng.choice(ETHNIC_MINORITIES) if sector == "少数民族界" or rng.random() < 0.05 else "汉族",
                "birth_date": datetime.date(rng.randint(1958, 1992), rng.randint(1, 12), rng.randint(1, 28)),
                "party": SECTOR_PARTY.get(sector) or rng.choice(PARTY_MIX),
                "sector": sector,
                "special_committee": SPECIAL_COMMITTEES[index % len(SPECIAL_COMMITTEES)][0],
                "liaison_group": LIAISON_GROUPS[index % len(LIAISON_GROUPS)][0],
                "unit": unit,
                "post": post,
                # 1990xxxxxxx and the 0999 area code: made up, so no demo number reaches a real phone.
                "mobile": f"1990{index:07d}",
                "phone": f"0999-8{index:06d}",
                "email": f"member{index:03d}@example.org",
                "address": f"示范市东城区{rng.choice(['府前街', '人民路', '建设路', '文化路', '新华路'])}{rng.randint(1, 200)}号",
            })
    for profile in rng.sample(out, STANDING_MEMBERS):
        profile["is_standing"] = True
    return out


class Loader:
    """Creates what is missing, counting each kind of row it creates in ``self.created``."""

    def __init__(self):
        self.created = Counter()

    def count(self, label):
        self.created[str(label)] += 1

    def _get_or_create(self, model, lookup, create):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = create()
            self.count(model._meta.verbose_name_plural)
        return obj

    def committee(self, data, parent=None):
        return self._get_or_create(
            Committee, {"code": data["code"]},
            lambda: actions.do_create_committee({**data, "parent": parent}, actor=None),
        )

    def terms_and_sessions(self, committee):
        current = None
        for number, start, end in TERMS:
            term = self._get_or_create(
                Term, {"committee": committee, "number": number},
                lambda: actions.do_create_term(committee, {"number": number, "start_date": start, "end_date": end}, actor=None),
            )
            if number == CURRENT_TERM:
                current = term
        if not current.is_current:
            actions.do_set_current_term(current, actor=None)
            self.count(_("本届设置"))
        for number, start, end in SESSIONS:
            data = {
                "number": number, "year": start.year, "plenary_start": start, "plenary_end": end,
                "proposal_window_start": start - datetime.timedelta(days=21), "proposal_window_end": end,
            }
            self._get_or_create(
                Session, {"term": current, "number": number},
                lambda: actions.do_create_session(current, data, actor=None),
            )
        return current

    def named(self, create, model, committee, name, data):
        return self._get_or_create(
            model, {"committee": committee, "name": name},
            lambda: create(committee, {"name": name, **data}, actor=None),
        )

    def structure(self, committee, departments, *, liaison_groups):
        """Sectors, special committees, liaison groups and departments; returns four dicts by name."""
        sectors = {
            name: self.named(actions.do_create_sector, Sector, committee, name, {"order": i})
            for i, (name, _count) in enumerate(SECTORS, start=1)
        }
        specials = {
            name: self.named(actions.do_create_special_committee, SpecialCommittee, committee, name,
                             {"short_name": short, "order": i})
            for i, (name, short) in enumerate(SPECIAL_COMMITTEES, start=1)
        }
        groups = {
            name: self.named(actions.do_create_liaison_group, LiaisonGroup, committee, name, {"area": area, "order": i})
            for i, (name, area) in enumerate(liaison_groups, start=1)
        }
        depts = {
            name: self.named(actions.do_create_department, Department, committee, name,
                             {"kind": kind, "contact_phone": f"0999-6{i:06d}"})
            for i, (name, kind) in enumerate(departments, start=1)
        }
        return sectors, specials, groups, depts

    def members(self, committee, term, sectors, specials, groups, profiles):
        existing = set(Member.objects.filter(committee=committee).values_list("member_no", flat=True))
        for profile in profiles:
            if profile["member_no"] in existing:
                continue
            data = {
                **profile, "term": term, "sector": sectors[profile["sector"]],
                "special_committee": specials[profile["special_committee"]],
                "liaison_group": groups[profile["liaison_group"]],
            }
            actions.do_create_member(committee, data, actor=None)
            self.count(Member._meta.verbose_name_plural)

    def account(self, username, full_name):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = actions.do_create_account(username, full_name=full_name, password=DEMO_PASSWORD, actor=None)
            self.count(_("登录账号"))
        elif not user.check_password(DEMO_PASSWORD):
            # Someone changed a demo password: the printed table must stay true.
            from django.contrib.auth.forms import SetPasswordForm

            from xieshang.core.account_actions import do_change_password

            form = SetPasswordForm(user, {"new_password1": DEMO_PASSWORD, "new_password2": DEMO_PASSWORD})
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            do_change_password(form, actor=None)
            self.count(_("恢复演示密码"))
        return user

    def totp(self, user):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            from xieshang.core.account_actions import do_enrol_second_factor

            # Enrolled as a user would be (audited, with backup codes), but with the fixed demo secret.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name="demo", confirmed=False, key=DEMO_TOTP_HEX)
            do_enrol_second_factor(device, actor=None)
            self.count(_("双因素验证设备"))

    def grant(self, user, committee, role):
        if not RoleGrant.objects.filter(user=user, committee=committee, role=role).exists():
            actions.do_grant_role(user, committee, role, actor=None)
            self.count(RoleGrant._meta.verbose_name_plural)

    def post(self, department, user, tier):
        if not DepartmentStaff.objects.filter(department=department, user=user).exists():
            actions.do_add_department_staff(department, user, tier, actor=None)
            self.count(DepartmentStaff._meta.verbose_name_plural)

    def informant(self, committee, user, data):
        """The committee's appointed informant (特邀信息员) linked to ``user``, appointed through the org action."""
        informant = Informant.objects.filter(committee=committee, name=data["name"]).first()
        if informant is None:
            informant = actions.do_create_informant(committee, {**data, "user": user}, actor=None)
            self.count(Informant._meta.verbose_name_plural)
        elif informant.user_id != user.pk:
            actions.do_update_informant(informant, {"user": user}, actor=None)
            self.count(_("特邀信息员账号关联"))
        return informant

    def link_member(self, member_no, committee, user):
        member = Member.objects.get(committee=committee, member_no=member_no)
        if member.user_id != user.pk:
            actions.do_update_member(member, {"user": user}, actor=None)
            self.count(_("委员账号关联"))
        return member


def _persona_names():
    """Full names for the staff personas, from their own seeded generator (members keep their own names)."""
    rng = random.Random(SEED + 1)
    names = NameGenerator(rng)
    return {p.key: names(rng.choice([Member.Gender.MALE, Member.Gender.FEMALE])) for p in PERSONAS}


@action
def load_demo(*, actor=None):
    """Create (or complete) the demo committees and personas. Returns ``(city, district, Counter of created rows)``."""
    loader = Loader()
    province = loader.committee(PROVINCE)
    city = loader.committee(CITY, parent=province)
    if city.parent_id is None:
        # A database loaded before the province existed: put the city under it.
        actions.do_update_committee(city, {"parent": province}, actor=None)
        loader.count(_("上级政协设置"))
    district = loader.committee(DISTRICT, parent=city)

    loader.structure(province, PROVINCE_DEPARTMENTS, liaison_groups=[])

    loader.terms_and_sessions(city)
    loader.structure(city, CITY_DEPARTMENTS, liaison_groups=[])
    term = loader.terms_and_sessions(district)
    sectors, specials, groups, depts = loader.structure(district, DEPARTMENTS, liaison_groups=LIAISON_GROUPS)
    profiles = member_profiles(random.Random(SEED))
    loader.members(district, term, sectors, specials, groups, profiles)

    names = _persona_names()
    # The member personas are the first two members of 经济界, so their profiles look like everyone else's.
    economy = [p for p in profiles if p["sector"] == "经济界"]
    users = {}
    for persona in PERSONAS:
        if persona.key == "member":
            full_name = economy[0]["name"]
        elif persona.key == "cosigner":
            full_name = economy[1]["name"]
        else:
            full_name = names[persona.key]
        users[persona.key] = user = loader.account(persona.username, full_name)
        if persona.staff:
            loader.totp(user)
    loader.link_member(economy[0]["member_no"], district, users["member"])
    loader.link_member(economy[1]["member_no"], district, users["cosigner"])
    for key in ("proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor"):
        loader.grant(users[key], district, key)
    loader.grant(users["sysadmin"], None, RoleGrant.Role.SYSADMIN)
    loader.grant(users["city_staff"], city, RoleGrant.Role.PROPOSAL_STAFF)
    # The city's information editor also signs off (a small office), so the demo's city level runs with one login.
    loader.grant(users["city_editor"], city, RoleGrant.Role.INFO_EDITOR)
    loader.grant(users["city_editor"], city, RoleGrant.Role.INFO_SIGNER)
    # The appointed informant (特邀信息员) is not a member: an Informant row linked to the login, no second factor.
    loader.informant(district, users["informant"], {
        "name": names["informant"], "unit": "东城区融媒体中心", "post": "记者",
        "mobile": "19900000901", "appointed_on": datetime.date(2024, 1, 1), "ends_on": datetime.date(2026, 12, 31)})
    department = depts[PERSONA_DEPARTMENT]
    loader.post(department, users["dept_leader"], DepartmentStaff.Tier.LEADER)
    loader.post(department, users["dept_handler"], DepartmentStaff.Tier.HANDLER)
    return city, district, loader.created


@action
def load_seed_committee(number, *, parent, actor=None):
    """One extra district committee of the demo's shape (no logins), code ``seed-<number>``; idempotent.

    Returns the Counter of created rows. Used by ``xieshang seed --scale N`` for benchmarks.
    """
    loader = Loader()
    committee = loader.committee({
        "code": f"seed-{number:03d}", "name": f"示范市基准测试{number}区政协", "short_name": f"测试{number}区",
        "level": Committee.Level.COUNTY,
    }, parent=parent)
    term = loader.terms_and_sessions(committee)
    sectors, specials, groups, _depts = loader.structure(committee, DEPARTMENTS, liaison_groups=LIAISON_GROUPS)
    profiles = member_profiles(random.Random(SEED + number), prefix=f"S{number:03d}")
    loader.members(committee, term, sectors, specials, groups, profiles)
    return loader.created
