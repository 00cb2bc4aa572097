"""Named personas and helpers shared by every test (see conftest.py).

The district committee ``district`` (under the city ``city``, under the province ``province``) has one persona per
role, and ``informant`` is its appointed 特邀信息员 (not a member); ``other`` is a second district whose office
admin must never see the first one's data, and ``outsider`` holds no role at all.
"""

from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.org import actions
from xieshang.org.models import Committee, Department, DepartmentStaff, Informant, Member, RoleGrant, Sector

PASSWORD = "Xs-test-Passw0rd!"
# A fixed base32 secret so browser tests can compute the current code.
TOTP_KEY_HEX = "3132333435363738393031323334353637383930"  # "12345678901234567890", RFC 6238's test key


def make_user(username, full_name="", password=PASSWORD, email=""):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=password, first_name=full_name, email=email)
    return user


def give_totp(user):
    """A confirmed TOTP device with the RFC 6238 test key."""
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True, key=TOTP_KEY_HEX)


def totp_now(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def login(client, user):
    """Sign ``client`` in as ``user``, second factor included for staff."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_totp(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def make_personas():
    province = Committee.objects.create(code="province", name="示范省政协", short_name="省政协", level="provincial")
    city = Committee.objects.create(code="city", name="示范市政协", short_name="市政协", level="city", parent=province)
    district = Committee.objects.create(
        code="district", name="示范市东城区政协", short_name="东城区政协", level="county", parent=city
    )
    other = Committee.objects.create(code="other", name="示范市西城区政协", short_name="西城区政协", level="county", parent=city)
    sector = Sector.objects.create(committee=district, name="经济界", order=1)
    dept_a = Department.objects.create(committee=district, name="区生态环境局", kind="government")
    dept_b = Department.objects.create(committee=district, name="区教育局", kind="government")
    dept_other = Department.objects.create(committee=other, name="西城区公安分局", kind="legal")

    p = SimpleNamespace(province=province, city=city, district=district, other=other, sector=sector, dept_a=dept_a, dept_b=dept_b,
                        dept_other=dept_other)
    p.member = make_user("member", "王建国")
    p.member_row = Member.objects.create(committee=district, user=p.member, name="王建国", sector=sector, mobile="13800000001")
    p.cosigner = make_user("cosigner", "李秀英")
    p.cosigner_row = Member.objects.create(committee=district, user=p.cosigner, name="李秀英", sector=sector)
    for role in RoleGrant.Role.values:
        if role == RoleGrant.Role.SYSADMIN:
            continue
        user = make_user(role)
        RoleGrant.objects.create(user=user, committee=district, role=role)
        setattr(p, role, user)
    p.sysadmin = make_user("sysadmin", "系统管理员")
    RoleGrant.objects.create(user=p.sysadmin, committee=None, role=RoleGrant.Role.SYSADMIN)
    p.dept_leader = make_user("dept_leader", "赵局长")
    DepartmentStaff.objects.create(department=dept_a, user=p.dept_leader, tier="leader")
    p.dept_handler = make_user("dept_handler", "钱经办")
    DepartmentStaff.objects.create(department=dept_a, user=p.dept_handler, tier="handler")
    p.other_dept_handler = make_user("other_dept_handler", "孙经办")
    DepartmentStaff.objects.create(department=dept_b, user=p.other_dept_handler, tier="handler")
    p.other_staff = make_user("other_staff", "周科长")
    RoleGrant.objects.create(user=p.other_staff, committee=other, role=RoleGrant.Role.OFFICE_ADMIN)
    p.informant = make_user("informant", "陈信息")
    p.informant_row = Informant.objects.create(committee=district, user=p.informant, name="陈信息", unit="东城区融媒体中心")
    p.outsider = make_user("outsider", "路人")
    return p


# Every persona name, for matrix tests.
PERSONA_NAMES = [
    "member", "cosigner", "proposal_staff", "info_editor", "info_signer", "office_admin", "committee_leader", "auditor",
    "sysadmin", "dept_leader", "dept_handler", "other_dept_handler", "other_staff", "informant", "outsider",
]

__all__ = ["PASSWORD", "PERSONA_NAMES", "actions", "give_totp", "login", "make_personas", "make_user", "totp_now"]
