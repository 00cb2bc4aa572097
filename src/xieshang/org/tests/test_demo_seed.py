"""The benchmark seed (``xieshang seed``), the demo's name generator, and ``xieshang totp``'s refusals.

Kept apart from test_demo.py, whose module-wide demo data would be visible to these tests.
"""

import io
import random
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from xieshang.core.models import AuditEvent
from xieshang.org import demo_data
from xieshang.org.models import Committee, Department, Member

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def counts():
    return {m.__name__: m.objects.count() for m in (Committee, Member, Department, AuditEvent)}


def test_names_are_made_up_deterministically_and_unique():
    first = demo_data.member_profiles(random.Random(demo_data.SEED))
    second = demo_data.member_profiles(random.Random(demo_data.SEED))
    assert first == second
    names = [p["name"] for p in first]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)
    assert len({p["member_no"] for p in first}) == len(first)


def test_totp_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="不存在"):
        run("totp", "nobody")


def test_totp_ignores_an_unconfirmed_device(db):
    user = get_user_model().objects.create_user("half_enrolled", password=demo_data.DEMO_PASSWORD)
    TOTPDevice.objects.create(user=user, name="pending", confirmed=False)
    with pytest.raises(CommandError):
        run("totp", "half_enrolled")


def test_seed_adds_committees_of_the_same_shape_and_is_idempotent(db):
    out = run("seed", "--scale", "1")
    assert "1" in out
    seeded = Committee.objects.get(code="seed-001")
    assert seeded.parent.code == demo_data.CITY["code"]
    assert Member.objects.filter(committee=seeded).count() == Member.objects.filter(
        committee__code=demo_data.DISTRICT["code"]).count()
    assert Department.objects.filter(committee=seeded, kind=Department.Kind.LEGAL).count() == 3
    before = counts()
    run("seed", "--scale", "1")
    assert counts() == before


def test_seed_refuses_a_scale_out_of_range(db):
    with pytest.raises(CommandError):
        run("seed", "--scale", "0")
    assert not Committee.objects.exists()
