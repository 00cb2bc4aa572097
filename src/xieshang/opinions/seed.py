"""Bulk 社情民意 reports for benchmarks (``xieshang seed --opinions N``) and a small demo set through the actions.

:func:`ensure_structure` makes the benchmark's three levels: the demo province, its demo city and district, and
more cities and districts of the demo's shape (20 committees: 1 province, 4 cities, 15 districts), each with
members, departments and appointed informants, all written through the organisation actions, and a login
account for every member and informant (:func:`ensure_accounts`, bulk-created).

:func:`seed_opinions` then writes N reports across those committees with their versions, per-level copies,
dispatches, adoptions, leaders' instructions, follow-up tasks, statistics events, counters and audit rows, using
``bulk_create`` in chunks. It deliberately bypasses the actions, which lock, check permissions and notify per
row and would need hours for 300,000 reports; the rows it writes have the shapes the actions write (same
states and paths through the transition table, same fields set at each step, same audit verbs and targets).
The proportions follow real use: most reports stay at their district; about a fifth are forwarded to the
city and a few per cent on to the province; about 30 % are adopted at some level and about 5 % receive a
leader's instruction. Recent reports are still in the queues; older ones are settled. Dates are realistic
(working hours, a few days per step) and follow-up due dates come from the working-day calendar.

:func:`load_demo_opinions` instead walks a few dozen reports of the demo district through the real actions
with the demo personas, so that ``xieshang demo`` shows queues, chains across levels and statistics.
"""

import collections
import datetime
import enum
import functools
import random
import time
import types
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from xieshang.core import calendar as workcal
from xieshang.core.audit import action
from xieshang.core.models import AuditEvent
from xieshang.core.seeding import explicit_timestamps, pick_weighted, pinned_today

from . import dates
from .models import (
    LEVELS,
    Adoption,
    CopyStatus,
    Counter,
    Dispatch,
    FollowUp,
    FollowUpStatus,
    Instruction,
    Report,
    ReportCopy,
    ReportEvent,
    ReportStatus,
    ReportVersion,
)

C = CopyStatus
S = ReportStatus
F = FollowUpStatus
CHUNK = 2000
SEED_ACTOR = "seed"
FOLLOW_UP_WORKING_DAYS = 15

TOPICS = [
    "老旧小区加装电梯推进难", "社区居家养老服务供给不足", "农村生活污水治理", "学校周边交通拥堵", "河道垃圾清理不及时",
    "中小微企业融资难融资贵", "营商环境仍需优化", "智慧社区建设碎片化", "农村饮用水安全", "公共文化设施利用率低",
    "青年人才安居保障", "共享单车乱停乱放", "基层医疗服务能力薄弱", "中小学生心理健康", "夜间经济配套不足",
    "历史文化街区保护", "背街小巷环境整治", "新能源汽车充电设施不足", "校外培训机构监管", "政务服务一网通办",
    "电动自行车进楼入户充电", "农贸市场食品安全", "城乡结合部违建治理", "独居老人紧急救助", "外卖骑手权益保障",
]
SITUATION = "近期走访发现，{topic}问题较为突出，群众反映强烈，部分社区已多次向有关部门反映，但尚未得到有效解决。"
ANALYSIS = "主要原因：一是职责分散，缺乏牵头部门；二是资金投入不足；三是长效管理机制尚未建立，群众参与度不高。"
SUGGESTION = "建议：一是明确牵头部门，建立联席会议制度；二是设立专项资金，加大投入；三是建立定期督查和群众评价机制。"
REWRITE_SUGGESTION = "建议：一是由政府分管领导牵头，建立部门联动机制；二是统筹专项资金；三是纳入年度绩效考核，定期通报。"

LEADER_TITLES = {
    LEVELS.COUNTY: ["区委书记", "区长", "区委副书记", "副区长"],
    LEVELS.CITY: ["市委书记", "市长", "市委副书记", "副市长"],
    LEVELS.PROVINCIAL: ["省委书记", "省长", "副省长"],
    LEVELS.NATIONAL: ["全国政协副主席"],
}
LEADER_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
INSTRUCTION_TEXTS = [
    "请有关部门认真研究，提出具体措施，抓好落实。", "此件反映的问题具有普遍性，请牵头部门会同相关单位研究解决。",
    "请结合年度重点工作统筹推进，并及时反馈办理情况。",
]
RESPONSES = [
    "已召开专题会议研究，制定工作方案，明确责任分工，目前正按计划推进。",
    "已落实专项资金，完成摸底排查，首批整改任务已完成，将持续跟进。",
]

# The origin copy's final state: recent reports are still being handled, older ones are settled.
RECENT_ORIGIN = {C.PENDING: 45, C.EDITED: 15, C.SIGNED: 25, C.ADOPTED: 8, C.KEPT: 7}
SETTLED_ORIGIN = {C.PENDING: 2, C.EDITED: 1, C.KEPT: 29, C.SIGNED: 39, C.ADOPTED: 29}
# A copy forwarded up, once its level has had time to decide.
RECENT_UPPER = {C.PENDING: 55, C.EDITED: 15, C.SIGNED: 15, C.ADOPTED: 10, C.KEPT: 5}
SETTLED_UPPER = {C.PENDING: 2, C.EDITED: 1, C.KEPT: 42, C.SIGNED: 20, C.ADOPTED: 35}
RECENT_DAYS = 30
# Chance that a SIGNED / ADOPTED copy is forwarded to the parent committee, by the copy's level.
FORWARD = {LEVELS.COUNTY: {C.SIGNED: 0.24, C.ADOPTED: 0.45}, LEVELS.CITY: {C.SIGNED: 0.08, C.ADOPTED: 0.2}}
# Chance that an ADOPTED copy receives a leader's instruction, by level.
INSTRUCT = {LEVELS.COUNTY: 0.13, LEVELS.CITY: 0.18, LEVELS.PROVINCIAL: 0.25}

# The copy moves each final state went through (after the copy was made PENDING).
COPY_PATHS = {
    C.PENDING: [],
    C.EDITED: [(C.PENDING, C.EDITED)],
    C.SIGNED: [(C.PENDING, C.EDITED), (C.EDITED, C.SIGNED)],
    C.ADOPTED: [(C.PENDING, C.EDITED), (C.EDITED, C.SIGNED), (C.SIGNED, C.ADOPTED)],
    C.RETURNED: [(C.PENDING, C.RETURNED)],
    C.WITHDRAWN: [(C.PENDING, C.RETURNED), (C.RETURNED, C.WITHDRAWN)],
}
KEPT_PATHS = [
    [(C.PENDING, C.KEPT)],
    [(C.PENDING, C.EDITED), (C.EDITED, C.KEPT)],
    [(C.PENDING, C.EDITED), (C.EDITED, C.SIGNED), (C.SIGNED, C.KEPT)],
]
COPY_VERBS = {
    (C.PENDING, C.EDITED): "opinions.copy_edited", (C.PENDING, C.RETURNED): "opinions.copy_returned",
    (C.PENDING, C.KEPT): "opinions.copy_kept", (C.EDITED, C.KEPT): "opinions.copy_kept",
    (C.SIGNED, C.KEPT): "opinions.copy_kept", (C.RETURNED, C.PENDING): "opinions.copy_resubmitted",
    (C.RETURNED, C.WITHDRAWN): "opinions.copy_withdrawn", (C.EDITED, C.SIGNED): "opinions.copy_signed",
    (C.SIGNED, C.ADOPTED): "opinions.copy_adopted",
}
REPORT_VERBS = {
    (S.DRAFT, S.SUBMITTED): "opinions.submitted", (S.DRAFT, S.WITHDRAWN): "opinions.withdrawn",
    (S.SUBMITTED, S.RETURNED): "opinions.returned", (S.RETURNED, S.SUBMITTED): "opinions.resubmitted",
    (S.RETURNED, S.WITHDRAWN): "opinions.withdrawn",
}
FOLLOW_UP_VERBS = {
    (F.OPEN, F.REPORTED): "opinions.follow_up_reported", (F.REPORTED, F.CLOSED): "opinions.follow_up_closed",
}
# Audit verbs of the actions that create rows rather than move a state (as in actions.py; target: the copy).
CREATED_VERBS = {
    "forwarded": "opinions.forwarded", "dispatched": "opinions.dispatched",
    "adopted": "opinions.adoption_recorded", "instructed": "opinions.instruction_recorded",
}


# Tables whose ids the seed hands out itself (their rows are referenced before they are written).
OWN_IDS = (Report, ReportVersion, ReportCopy, Adoption, Instruction, FollowUp)


class _Inserter:
    """``INSERT`` through ``executemany`` with values prepared once per field type.

    ``bulk_create`` compiles every value of every row through the field machinery, which costs most of the
    seed's time; the rows here are plain, so each value is adapted the way the field would adapt it (dates and
    times by the backend's adapters, UUIDs and JSON by the field itself, choices to their plain value).
    """

    def __init__(self):
        self.statements = {}

    def statement(self, model, with_pk):
        key = (model, with_pk)
        if key not in self.statements:
            ops, qn = connection.ops, connection.ops.quote_name
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            converters = []
            for f in fields:
                kind = f.get_internal_type()
                if kind == "DateTimeField":
                    convert = ops.adapt_datetimefield_value
                elif kind == "DateField":
                    convert = ops.adapt_datefield_value
                elif kind in ("UUIDField", "JSONField"):
                    convert = functools.partial(lambda field, v: field.get_db_prep_save(v, connection), f)
                elif kind in ("CharField", "TextField"):
                    convert = _plain
                else:
                    convert = None
                converters.append((f.attname, convert))
            sql = "INSERT INTO %s (%s) VALUES (%s)" % (
                qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields), ", ".join(["%s"] * len(fields)))
            self.statements[key] = (sql, converters)
        return self.statements[key]

    def insert(self, model, objs, *, with_pk):
        if not objs:
            return
        sql, converters = self.statement(model, with_pk)
        rows = []
        for obj in objs:
            row = []
            for attname, convert in converters:
                value = getattr(obj, attname)
                row.append(value if convert is None or value is None else convert(value))
            rows.append(row)
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _plain(value):
    return value.value if isinstance(value, enum.Enum) else value


# ------------------------------------------------------------------------------------------- the three levels

# (code, name, short name, number of districts); the demo city ``shifan`` comes first with the demo district.
BENCH_CITIES = [
    ("shifan", None, None, 4),
    ("bench-city-2", "示范省第二基准市政协", "第二市政协", 4),
    ("bench-city-3", "示范省第三基准市政协", "第三市政协", 4),
    ("bench-city-4", "示范省第四基准市政协", "第四市政协", 3),
]
INFORMANTS_PER_COMMITTEE = 15


@action
def _complete_committee(committee_data, *, parent, number, departments, liaison_groups, actor=None):
    """One committee of the benchmark with its term, structure, 220 members and 15 informants (idempotent)."""
    from xieshang.org import actions as org_actions
    from xieshang.org import demo_data
    from xieshang.org.models import Committee, Informant, Member

    loader = demo_data.Loader()
    committee = Committee.objects.filter(code=committee_data["code"]).first()
    if committee is None:
        committee = loader.committee(committee_data, parent=parent)
    term = loader.terms_and_sessions(committee)
    sectors, specials, groups, _depts = loader.structure(committee, departments, liaison_groups=liaison_groups)
    rng = random.Random(demo_data.SEED + 1000 + number)
    if not Member.objects.filter(committee=committee).exists():  # the demo district keeps its own members
        profiles = demo_data.member_profiles(rng, prefix=f"B{number:02d}")
        if not groups:  # provinces and cities here have no liaison groups: their members belong to none
            groups = collections.defaultdict(lambda: None)
        loader.members(committee, term, sectors, specials, groups, profiles)
    have = Informant.objects.filter(committee=committee).count()
    names = demo_data.NameGenerator(random.Random(demo_data.SEED + 2000 + number))
    for i in range(have, INFORMANTS_PER_COMMITTEE):
        org_actions.do_create_informant(committee, {
            "name": names(rng.choice(["m", "f"])), "unit": rng.choice(["融媒体中心", "社区居委会", "区人民医院", "律师事务所"]),
            "post": "特邀信息员", "mobile": f"1997{number:02d}{i:05d}", "appointed_on": datetime.date(2024, 1, 1),
        }, actor=None)
        loader.count(Informant._meta.verbose_name_plural)
    return committee, loader.created


def ensure_structure(log=None):
    """The benchmark's 20 committees (1 province, 4 cities, 15 districts) under the demo province.

    Loads the demo first when missing; every other committee is completed through the organisation actions.
    Idempotent. Returns the committees, top first.
    """
    from xieshang.org import demo_data
    from xieshang.org.models import Committee

    if not Committee.objects.filter(code=demo_data.DISTRICT["code"]).exists():
        demo_data.load_demo(actor=None)
    started = time.monotonic()
    province, _c = _complete_committee(demo_data.PROVINCE, parent=None, number=1,
                                       departments=demo_data.PROVINCE_DEPARTMENTS, liaison_groups=[], actor=None)
    out = [province]
    district_number = 0
    for city_index, (code, name, short, districts) in enumerate(BENCH_CITIES):
        data = demo_data.CITY if code == demo_data.CITY["code"] else {
            "code": code, "name": name, "short_name": short, "level": Committee.Level.CITY}
        city, _c = _complete_committee(data, parent=province, number=10 + city_index,
                                       departments=demo_data.CITY_DEPARTMENTS, liaison_groups=[], actor=None)
        out.append(city)
        for d in range(districts):
            district_number += 1
            if city_index == 0 and d == 0:
                data = demo_data.DISTRICT
            else:
                data = {"code": f"bench-d-{district_number:02d}", "name": f"{short or '示范市'}基准第{d + 1}区政协",
                        "short_name": f"基准{district_number}区", "level": Committee.Level.COUNTY}
            district, _c = _complete_committee(data, parent=city, number=20 + district_number,
                                               departments=demo_data.DEPARTMENTS,
                                               liaison_groups=demo_data.LIAISON_GROUPS, actor=None)
            out.append(district)
        if log:
            log(f"committees: {len(out)}, {time.monotonic() - started:.1f} s")
    made = ensure_accounts(out)
    if log:
        log(f"login accounts for members and informants: {made} new, {time.monotonic() - started:.1f} s")
    return out


def ensure_accounts(committees):
    """A login account for every member and informant of ``committees`` who has none; returns how many were made.

    In a deployment nearly every member and informant signs in, so reports carry their author's account; the
    benchmark's authors must too, or the database's statistics (and so its plans) would describe a deployment
    where almost no report has an author account. The accounts are bulk-created with unusable passwords: hashing
    4,700 passwords through the account action would take minutes and nobody signs in as them.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from xieshang.org.models import Informant, Member

    User = get_user_model()
    made = 0
    for model, prefix in ((Member, "m"), (Informant, "i")):
        rows = list(model.objects.filter(committee__in=committees, user=None).select_related("committee"))
        if not rows:
            continue
        with transaction.atomic():
            users = User.objects.bulk_create([
                User(username=f"bench-{prefix}{row.pk}", first_name=row.name[:150], password=make_password(None))
                for row in rows])
            for row, user in zip(rows, users):
                row.user = user
            model.objects.bulk_update(rows, ["user"], batch_size=500)
        made += len(users)
    return made


class _Org:
    """Everything the seed draws from, read once: committees, chains, authors, departments, staff."""

    def __init__(self, committees):
        from xieshang.org import roles
        from xieshang.org.models import (
            Department,
            DepartmentStaff,
            Informant,
            LiaisonGroup,
            Member,
            RoleGrant,
            Sector,
            SpecialCommittee,
        )

        self.committees = {c.pk: c for c in committees}
        ids = list(self.committees)
        self.members, self.member_weights = {}, {}
        for row in Member.objects.filter(committee_id__in=ids).values_list(
                "committee_id", "pk", "user_id", "name", "sector_id", "liaison_group_id", "special_committee_id",
                "user__username"):
            self.members.setdefault(row[0], []).append(row[1:7])
            # The demo's member persona is a busy author: their list is one of the benchmarked pages.
            self.member_weights.setdefault(row[0], []).append(4.0 if row[7] == "member" else 1.0)
        self.informants, self.informant_weights = {}, {}
        for cid, pk, user_id, name, username in Informant.objects.filter(committee_id__in=ids, is_active=True) \
                .values_list("committee_id", "pk", "user_id", "name", "user__username"):
            self.informants.setdefault(cid, []).append((pk, user_id, name))
            self.informant_weights.setdefault(cid, []).append(4.0 if username == "informant" else 1.0)
        self.departments, self.department_weights, self.department_names = {}, {}, {}
        staffed = set(DepartmentStaff.objects.values_list("department_id", flat=True))
        for cid, pk, name in Department.objects.filter(committee_id__in=ids, is_active=True).values_list(
                "committee_id", "pk", "name"):
            self.departments.setdefault(cid, []).append((pk, name))
            self.department_names[pk] = name
            self.department_weights.setdefault(cid, []).append(8.0 if pk in staffed else 1.0)
        # The department's handler answers follow-ups (the last row per department wins: handlers sort last).
        self.department_staff = dict(DepartmentStaff.objects.filter(department_id__in=staffed).order_by(
            "-tier", "-id").values_list("department_id", "user_id"))
        self.collectives = {}
        for cid, name in Sector.objects.filter(committee_id__in=ids).values_list("committee_id", "name"):
            self.collectives.setdefault(cid, []).append((Report.CollectiveType.SECTOR, f"{name}界别"))
        for cid, name in SpecialCommittee.objects.filter(committee_id__in=ids).values_list("committee_id", "name"):
            self.collectives.setdefault(cid, []).append((Report.CollectiveType.SPECIAL_COMMITTEE, name))
        for cid, name in LiaisonGroup.objects.filter(committee_id__in=ids).values_list("committee_id", "name"):
            self.collectives.setdefault(cid, []).append((Report.CollectiveType.LIAISON_GROUP, name))
        for c in committees:
            for party in ("民革", "民盟", "民建", "民进", "九三学社"):
                self.collectives.setdefault(c.pk, []).append(
                    (Report.CollectiveType.PARTY, f"{party}{c.short_name or c.name}委员会"))
            self.collectives[c.pk].append((Report.CollectiveType.ORGANISATION, f"{c.short_name or c.name}工商联"))
        self.editors, self.signers = {}, {}
        for cid, role, user_id in RoleGrant.objects.filter(
                committee_id__in=ids, role__in=[roles.INFO_EDITOR, roles.INFO_SIGNER]).order_by("id").values_list(
                "committee_id", "role", "user_id"):
            target = self.editors if role == roles.INFO_EDITOR else self.signers
            target.setdefault(cid, user_id)
        # Where reports start: mostly districts (the demo district is the busiest), some cities, a few at the top.
        self.origins, self.origin_weights = [], []
        by_level = {}
        for c in committees:
            by_level.setdefault(c.level, []).append(c)
        shares = {LEVELS.COUNTY: 0.85, LEVELS.CITY: 0.12, LEVELS.PROVINCIAL: 0.03}
        for level, share in shares.items():
            group = by_level.get(level, [])
            weights = [3.0 if c.code in ("dongcheng", "shifan") else 1.0 for c in group]
            for c, w in zip(group, weights):
                if self.members.get(c.pk):
                    self.origins.append(c.pk)
                    self.origin_weights.append(share * w / sum(weights))

    def parent_id(self, cid):
        parent = self.committees[cid].parent_id
        return parent if parent in self.committees else None

    def level(self, cid):
        return self.committees[cid].level


# ------------------------------------------------------------------------------------------------ bulk seed

def seed_opinions(n, *, committees=None, seed=20261101, chunk=CHUNK, log=None):
    """Write ``n`` reports across ``committees`` (default: :func:`ensure_structure`). Returns row counts."""
    if committees is None:
        committees = ensure_structure(log=log)
    org = _Org(committees)
    if not org.origins:
        raise ValueError("the committees need members")
    rng = random.Random(seed + n)
    today = dates.today()
    cal = workcal.load()
    content_types = {model: ct.pk for model, ct in ContentType.objects.get_for_models(
        Report, ReportCopy, Dispatch, Adoption, Instruction, FollowUp).items()}
    totals = {}
    started = time.monotonic()
    ids = {model: model.objects.aggregate(n=Max("pk"))["n"] or 0 for model in OWN_IDS}
    inserter = _Inserter()
    with explicit_timestamps(Report, ReportVersion, Adoption, Instruction, AuditEvent):
        done = 0
        while done < n:
            size = min(chunk, n - done)
            with transaction.atomic():
                counts = _Chunk(org, rng, today, cal, content_types, ids, inserter).write(size)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            done += size
            if log:
                log(f"{done}/{n} reports, {time.monotonic() - started:.1f} s")
    # The ids handed out above: move PostgreSQL's sequences past them (SQLite's AUTOINCREMENT follows by itself).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), OWN_IDS):
            cursor.execute(sql)
    totals["seconds"] = round(time.monotonic() - started, 1)
    return totals


class _Chunk:
    """Plans and writes one chunk of reports and everything hanging off them."""

    def __init__(self, org, rng, today, cal, types, ids, inserter):
        self.org, self.rng, self.today, self.cal, self.types = org, rng, today, cal, types
        self.ids, self.inserter = ids, inserter
        self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8)))
        self.audit = []

    # -- helpers

    def new(self, obj):
        """Give ``obj`` the next id of its table (before rows referring to it are built)."""
        model = type(obj)
        self.ids[model] += 1
        obj.pk = self.ids[model]
        return obj

    def event(self, verb, model, target_id, committee_id, at, changes, actor_id=None, group=None):
        # A plain namespace with AuditEvent's attributes: a model instance per row would cost more than the row.
        self.audit.append(types.SimpleNamespace(
            group_id=group or uuid.uuid4(), created_at=at, actor_id=actor_id, actor_repr=SEED_ACTOR,
            committee_id=committee_id, verb=verb, target_type_id=self.types[model], target_id=str(target_id),
            target_repr="", changes=changes, note="", ip="", via="seed"))

    def later(self, at, lo_days, hi_days):
        """A working-hours moment ``lo_days``–``hi_days`` after ``at``, never after now."""
        delta = datetime.timedelta(days=self.rng.randint(lo_days, hi_days), hours=self.rng.randint(0, 6),
                                   minutes=self.rng.randint(0, 59))
        cap = self.now - datetime.timedelta(minutes=self.rng.randint(5, 600))
        # Each step strictly after the one before it, even when both are squeezed against "now".
        return max(min(at + delta, cap), at + datetime.timedelta(minutes=1))

    def submitted_moment(self):
        rng = self.rng
        year = rng.choices(range(self.today.year - 4, self.today.year + 1), weights=[1, 1.2, 1.4, 1.6, 1.8])[0]
        last = self.today - datetime.timedelta(days=1) if year == self.today.year else datetime.date(year, 12, 31)
        first = datetime.date(year, 1, 1)
        day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        while day.weekday() > 4 and day > first:
            day -= datetime.timedelta(days=1)
        moment = datetime.time(rng.randint(8, 17), rng.randint(0, 59))
        return timezone.make_aware(datetime.datetime.combine(day, moment))

    # -- planning

    def plan_report(self):
        rng, org = self.rng, self.org
        origin = rng.choices(org.origins, weights=org.origin_weights)[0]
        submitted = self.submitted_moment()
        kind = pick_weighted(rng, {Report.AuthorKind.MEMBER: 72, Report.AuthorKind.INFORMANT: 18,
                           Report.AuthorKind.COLLECTIVE: 10})
        if kind == Report.AuthorKind.INFORMANT and not org.informants.get(origin):
            kind = Report.AuthorKind.MEMBER
        topic = rng.choice(TOPICS)
        report = Report(
            committee_id=origin, year=submitted.year, title=f"关于{topic}的建议", situation=SITUATION.format(topic=topic),
            analysis=ANALYSIS, suggestion=SUGGESTION, is_urgent=rng.random() < 0.05, author_kind=kind,
            created_at=submitted - datetime.timedelta(days=rng.randint(0, 5), minutes=rng.randint(1, 300)),
        )
        if kind == Report.AuthorKind.MEMBER:
            pk, user_id, name, sector, group, special = rng.choices(
                org.members[origin], weights=org.member_weights[origin])[0]
            report.member_id, report.author_user_id, report.author_name = pk, user_id, name
            report.sector_id, report.liaison_group_id, report.special_committee_id = sector, group, special
        elif kind == Report.AuthorKind.INFORMANT:
            pk, user_id, name = rng.choices(org.informants[origin], weights=org.informant_weights[origin])[0]
            report.informant_id, report.author_user_id, report.author_name = pk, user_id, name
        else:
            report.collective_type, report.collective_name = rng.choice(org.collectives[origin])
            report.author_name = report.collective_name
            report.contact_name, report.contact_phone = "办公室", "0999-88886666"
            report.on_behalf = True
        report.created_by_id = report.author_user_id if not report.on_behalf else org.editors.get(origin)
        roll = rng.random()
        recent = (self.now - submitted).days < RECENT_DAYS
        plan = {"report": report, "submitted": submitted, "recent": recent, "copies": [], "report_path": []}
        if roll < 0.02:
            report.status = S.DRAFT
            report.updated_at = report.created_at
            return plan
        if roll < 0.025:
            report.status = S.WITHDRAWN
            report.updated_at = self.later(report.created_at, 1, 20)
            plan["report_path"] = [(S.DRAFT, S.WITHDRAWN, report.updated_at)]
            return plan
        report.submitted_at = submitted
        plan["report_path"].append((S.DRAFT, S.SUBMITTED, submitted))
        plan["author_versions"] = 1
        if roll < 0.045:
            # Returned to the author, who either still has it or withdrew it.
            origin_status = C.RETURNED if roll < 0.037 else C.WITHDRAWN
            copy = self.plan_copy(origin, submitted, origin_status, report)
            returned = copy["path"][0][2]
            plan["report_path"].append((S.SUBMITTED, S.RETURNED, returned))
            report.status = S.RETURNED
            if origin_status == C.WITHDRAWN:
                plan["report_path"].append((S.RETURNED, S.WITHDRAWN, copy["path"][1][2]))
                report.status = S.WITHDRAWN
            report.updated_at = plan["report_path"][-1][2]
            plan["copies"].append(copy)
            return plan
        report.status = S.SUBMITTED
        resubmitted = None
        if rng.random() < 0.04:
            # Returned once and resubmitted: a second author version, the origin copy reopened.
            returned = self.later(submitted, 1, 5)
            resubmitted = self.later(returned, 1, 7)
            plan["report_path"] += [(S.SUBMITTED, S.RETURNED, returned), (S.RETURNED, S.SUBMITTED, resubmitted)]
            plan["author_versions"] = 2
        start = resubmitted or submitted
        status = pick_weighted(rng, RECENT_ORIGIN if recent else SETTLED_ORIGIN)
        copy = self.plan_copy(origin, start, status, report)
        if resubmitted:
            # The resubmission reopened the same copy and set its received_at (as do_submit_report does).
            copy["path"] = [(C.PENDING, C.RETURNED, returned), (C.RETURNED, C.PENDING, resubmitted)] + copy["path"]
        plan["copies"].append(copy)
        report.updated_at = plan["report_path"][-1][2]
        # Forwarding up the chain, level by level.
        while True:
            below = plan["copies"][-1]
            parent = self.org.parent_id(below["committee"])
            chance = FORWARD.get(self.org.level(below["committee"]), {}).get(below["status"], 0)
            if parent is None or not chance or rng.random() >= chance:
                break
            forwarded = self.later(below["signed"], 0, 4)
            below["forward_at"] = forwarded
            fresh = (self.now - forwarded).days < RECENT_DAYS
            status = pick_weighted(rng, RECENT_UPPER if fresh else SETTLED_UPPER)
            plan["copies"].append(self.plan_copy(parent, forwarded, status, report,
                                                 received_from=len(plan["copies"]) - 1))
        top = plan["copies"][-1]
        if self.org.level(top["committee"]) == LEVELS.PROVINCIAL and top["adoption"] and rng.random() < 0.05:
            top["external"] = self.later(top["adoption"]["at"], 10, 60)
        return plan

    def plan_copy(self, committee_id, received, status, report, *, received_from=None):
        rng = self.rng
        if status == C.KEPT:
            path_states = rng.choice(KEPT_PATHS)
        else:
            path_states = COPY_PATHS[status]
        level = self.org.level(committee_id)
        copy = {"committee": committee_id, "level": level, "status": status, "received": received,
                "received_from": received_from, "path": [], "edited": None, "signed": None, "adopted": None,
                "rewrite": False, "adoption": None, "instruction": None, "dispatches": [], "forward_at": None,
                "external": None, "is_urgent": report.is_urgent}
        at = received
        for from_state, to_state in path_states:
            at = self.later(at, 0, 3 if report.is_urgent else 8)
            copy["path"].append((from_state, to_state, at))
            if to_state == C.EDITED:
                copy["edited"] = at
                copy["rewrite"] = rng.random() < 0.6
            elif to_state == C.SIGNED:
                copy["signed"] = at
            elif to_state == C.ADOPTED:
                copy["adopted"] = at
                kind = Adoption.Kind.SINGLE if rng.random() < 0.8 else Adoption.Kind.COMPREHENSIVE
                copy["adoption"] = {"at": at, "kind": kind}
        if copy["signed"] and rng.random() < 0.7:
            # 报送: the committee's own leaders, the party committee / government leaders, departments.
            sent = self.later(copy["signed"], 0, 2)
            kinds = rng.sample([Dispatch.Kind.COMMITTEE_LEADER, Dispatch.Kind.PARTY_LEADER,
                                Dispatch.Kind.GOVERNMENT_LEADER, Dispatch.Kind.DEPARTMENT], rng.randint(1, 3))
            copy["dispatches"] = [(kind, sent) for kind in kinds]
        if copy["adoption"] and rng.random() < INSTRUCT.get(level, 0):
            instructed = self.later(copy["adopted"], 1, 20)
            recorded = self.later(instructed, 0, 3)
            copy["instruction"] = {"on": instructed.date(), "recorded": recorded}
        return copy

    # -- writing

    def write(self, size):
        org = self.org
        plans = [self.plan_report() for _i in range(size)]
        # Serial numbers continue each committee-year's counter, locked as the submit action does.
        keys = {(p["report"].committee_id, p["report"].year) for p in plans if p["report"].submitted_at}
        counters = {}
        for cid, year in keys:
            Counter.objects.get_or_create(committee_id=cid, year=year, series=Counter.Series.REPORT)
            counters[(cid, year)] = Counter.objects.select_for_update().get(
                committee_id=cid, year=year, series=Counter.Series.REPORT)
        for p in sorted(plans, key=lambda p: p["submitted"]):
            report = p["report"]
            if report.submitted_at:
                counter = counters[(report.committee_id, report.year)]
                counter.last += 1
                report.serial = counter.last
        Counter.objects.bulk_update(counters.values(), ["last"])
        for p in plans:
            self.new(p["report"])
        self.inserter.insert(Report, [p["report"] for p in plans], with_pk=True)

        # Versions: the author's (one per submission), then one rewrite per level that rewrote, bottom up.
        versions = []
        for p in plans:
            report, number = p["report"], 0
            p["version_index"] = []
            if not report.submitted_at:
                continue
            subs = [p["submitted"]] + [at for a, b, at in p["report_path"] if b == S.SUBMITTED and a == S.RETURNED]
            for at in subs[:p["author_versions"]]:
                number += 1
                versions.append(self.new(ReportVersion(
                    report=report, number=number, kind=ReportVersion.Kind.AUTHOR, title=report.title,
                    situation=report.situation, analysis=report.analysis, suggestion=report.suggestion,
                    created_by_id=report.created_by_id, created_at=at)))
            current = len(versions) - 1
            for copy in p["copies"]:
                if copy["rewrite"]:
                    number += 1
                    versions.append(self.new(ReportVersion(
                        report=report, number=number, kind=ReportVersion.Kind.EDIT, committee_id=copy["committee"],
                        title=report.title.replace("关于", "关于进一步解决", 1), situation=report.situation,
                        analysis=report.analysis, suggestion=REWRITE_SUGGESTION, note="压缩篇幅，调整标题和建议。",
                        created_by_id=org.editors.get(copy["committee"]), created_at=copy["edited"])))
                    current = len(versions) - 1
                copy["version_index"] = current
        self.inserter.insert(ReportVersion, versions, with_pk=True)

        # Copies, one level at a time (a forwarded copy points at the copy it came from).
        rows = {"dispatches": [], "adoptions": [], "instructions": [], "follow_ups": [], "events": []}
        depth = 0
        while True:
            batch = [(p, copy) for p in plans for i, copy in enumerate(p["copies"]) if i == depth]
            if not batch:
                break
            objs = []
            for p, copy in batch:
                cid = copy["committee"]
                obj = self.new(ReportCopy(
                    report=p["report"], committee_id=cid, level=copy["level"], version=versions[copy["version_index"]],
                    status=copy["status"], is_urgent=copy["is_urgent"], received_at=copy["received"],
                    edited_at=copy["edited"], edited_by_id=org.editors.get(cid) if copy["edited"] else None,
                    signed_at=copy["signed"], signed_by_id=org.signers.get(cid) if copy["signed"] else None,
                    adopted_at=copy["adopted"]))
                if copy["received_from"] is not None:
                    obj.received_from = p["copies"][copy["received_from"]]["obj"]
                if copy["status"] in (C.RETURNED, C.WITHDRAWN) or any(b == C.RETURNED for _a, b, _t in copy["path"]):
                    obj.return_reason = "请补充具体数据和事例，一事一报。"
                if copy["status"] == C.KEPT:
                    obj.kept_reason = "内容与已报送信息重复，留存备查。"
                copy["obj"] = obj
                objs.append(obj)
            self.inserter.insert(ReportCopy, objs, with_pk=True)
            depth += 1

        for p in plans:
            self.rows_for(p, rows)
        self.inserter.insert(Dispatch, rows["dispatches"], with_pk=False)
        self.inserter.insert(Adoption, rows["adoptions"], with_pk=True)
        self.inserter.insert(Instruction, rows["instructions"], with_pk=True)
        self.inserter.insert(FollowUp, rows["follow_ups"], with_pk=True)
        self.inserter.insert(ReportEvent, rows["events"], with_pk=False)
        self.audit_rows(plans, rows)
        self.inserter.insert(AuditEvent, self.audit, with_pk=False)
        return {"reports": len(plans), "versions": len(versions),
                "copies": sum(len(p["copies"]) for p in plans), "dispatches": len(rows["dispatches"]),
                "adoptions": len(rows["adoptions"]), "instructions": len(rows["instructions"]),
                "follow_ups": len(rows["follow_ups"]), "events": len(rows["events"]), "audit_events": len(self.audit)}

    def event_row(self, kind, report, copy_obj, level, day, **extra):
        adoption, instruction = extra.get("adoption"), extra.get("instruction")
        return types.SimpleNamespace(  # ReportEvent's attributes (see event() for why not a model instance)
            kind=kind, level=level, report_id=report.pk, copy_id=copy_obj.pk, committee_id=report.committee_id,
            adoption_id=adoption.pk if adoption else None, instruction_id=instruction.pk if instruction else None,
            year=day.year, occurred_on=day, author_kind=report.author_kind, member_id=report.member_id,
            informant_id=report.informant_id, sector_id=report.sector_id, liaison_group_id=report.liaison_group_id,
            collective_name=report.collective_name)

    def rows_for(self, p, rows):
        org, rng, report = self.org, self.rng, p["report"]
        if not report.submitted_at:
            return
        origin = p["copies"][0]["obj"]
        rows["events"].append(self.event_row(ReportEvent.Kind.SUBMITTED, report, origin, origin.level,
                                             report.submitted_at.date()))
        chain = [c["committee"] for c in p["copies"]]
        for copy in p["copies"]:
            obj, cid = copy["obj"], copy["committee"]
            committee = org.committees[cid]
            editor = org.editors.get(cid)
            copy["dispatch_objs"] = []
            for kind, sent in copy["dispatches"]:
                department_id, name = None, {
                    Dispatch.Kind.COMMITTEE_LEADER: f"{committee.short_name or committee.name}主席",
                    Dispatch.Kind.PARTY_LEADER: LEADER_TITLES[copy["level"]][0],
                    Dispatch.Kind.GOVERNMENT_LEADER: LEADER_TITLES[copy["level"]][1],
                }.get(kind, "")
                if kind == Dispatch.Kind.DEPARTMENT:
                    if not org.departments.get(cid):
                        continue
                    department_id, name = rng.choices(org.departments[cid], weights=org.department_weights[cid])[0]
                d = Dispatch(copy=obj, kind=kind, recipient_name=name, department_id=department_id, sent_by_id=editor,
                             sent_at=sent)
                rows["dispatches"].append(d)
                copy["dispatch_objs"].append(d)
            if copy["forward_at"]:
                parent = next(c for c in p["copies"] if c["received_from"] is not None
                              and p["copies"][c["received_from"]] is copy)
                d = Dispatch(copy=obj, kind=Dispatch.Kind.PARENT, parent_copy=parent["obj"], sent_by_id=editor,
                             recipient_name=org.committees[parent["committee"]].name, sent_at=copy["forward_at"])
                rows["dispatches"].append(d)
                copy["forward_obj"] = d
            if copy["adoption"]:
                a = self.new(Adoption(copy=obj, level=copy["level"], kind=copy["adoption"]["kind"],
                                      adopted_by=committee.name, adopted_on=copy["adopted"].date(),
                                      recorded_by_id=editor, recorded_at=copy["adopted"]))
                rows["adoptions"].append(a)
                copy["adoption_obj"] = a
                rows["events"].append(self.event_row(ReportEvent.Kind.ADOPTED, report, obj, copy["level"],
                                                     a.adopted_on, adoption=a))
            if copy["external"]:
                a = self.new(Adoption(copy=obj, level=LEVELS.NATIONAL, external=True, kind=Adoption.Kind.SINGLE,
                                      adopted_by="全国政协办公厅", adopted_on=copy["external"].date(),
                                      recorded_by_id=editor, recorded_at=copy["external"]))
                rows["adoptions"].append(a)
                copy["external_obj"] = a
                rows["events"].append(self.event_row(ReportEvent.Kind.ADOPTED, report, obj, LEVELS.NATIONAL,
                                                     a.adopted_on, adoption=a))
            if copy["instruction"]:
                plan = copy["instruction"]
                assigned = plan["recorded"].date()
                try:
                    due = workcal.add_working_days(assigned, FOLLOW_UP_WORKING_DAYS, self.cal)
                except workcal.BeyondCalendar:
                    copy["instruction"] = None  # the action would refuse: the calendar ends before the due date
                    continue
                i = self.new(Instruction(copy=obj, level=copy["level"],
                                leader_name=rng.choice(LEADER_NAMES) + rng.choice("建明华平军红"),
                                leader_title=rng.choice(LEADER_TITLES[copy["level"]]),
                                text=rng.choice(INSTRUCTION_TEXTS),
                                instructed_on=plan["on"], recorded_by_id=editor, recorded_at=plan["recorded"]))
                rows["instructions"].append(i)
                copy["instruction_obj"] = i
                rows["events"].append(self.event_row(ReportEvent.Kind.INSTRUCTED, report, obj, copy["level"],
                                                     plan["on"], instruction=i))
                # Departments of this level or of a level below it in the report's chain.
                lower = [c for c in chain[:chain.index(cid) + 1] if org.departments.get(c)]
                picks = {}
                for _n in range((1 if rng.random() < 0.7 else 2) if lower else 0):
                    where = rng.choice(lower)
                    dept, _name = rng.choices(org.departments[where], weights=org.department_weights[where])[0]
                    picks[dept] = where
                copy["follow_up_objs"] = []
                for dept in picks:
                    f = self.new(FollowUp(instruction=i, report=report, department_id=dept, assigned_on=assigned,
                                          due_on=due))
                    age = (self.today - assigned).days
                    status = pick_weighted(rng, {F.OPEN: 10, F.REPORTED: 20, F.CLOSED: 70} if age > 40 else
                                   {F.OPEN: 60, F.REPORTED: 30, F.CLOSED: 10})
                    f.status = status
                    if status != F.OPEN:
                        f.responded_at = self.later(plan["recorded"], 3, 25)
                        f.response = rng.choice(RESPONSES)
                        f.responded_by_id = org.department_staff.get(dept)
                    if status == F.CLOSED:
                        f.closed_at = self.later(f.responded_at, 1, 10)
                        f.review_note = "办理情况已反馈作者，办结。"
                    rows["follow_ups"].append(f)
                    copy["follow_up_objs"].append(f)

    def audit_rows(self, plans, rows):
        """The audit rows the actions write (verbs, targets and changes as in actions.py)."""
        for p in plans:
            report = p["report"]
            author = report.created_by_id
            self.event("opinions.drafted", Report, report.pk, report.committee_id, report.created_at, {
                "title": report.title, "author_kind": report.author_kind, "author_name": report.author_name,
                "on_behalf": report.on_behalf, "is_urgent": report.is_urgent}, actor_id=author)
            for from_state, to_state, at in p["report_path"]:
                self.event(REPORT_VERBS[(from_state, to_state)], Report, report.pk, report.committee_id, at,
                           {"status": [from_state, to_state]}, actor_id=author)
            for copy in p["copies"]:
                obj, cid = copy["obj"], copy["committee"]
                editor = self.org.editors.get(cid)
                if copy["received_from"] is None:
                    self.event("opinions.copy_created", ReportCopy, obj.pk, cid, report.submitted_at,
                               {"version": 1}, actor_id=author)
                for from_state, to_state, at in copy["path"]:
                    actor = self.org.signers.get(cid) if to_state == C.SIGNED else (
                        author if to_state in (C.PENDING, C.WITHDRAWN) else editor)
                    self.event(COPY_VERBS[(from_state, to_state)], ReportCopy, obj.pk, cid, at,
                               {"status": [from_state, to_state]}, actor_id=actor)
                if copy["dispatch_objs"]:
                    group = uuid.uuid4()
                    for d in copy["dispatch_objs"]:
                        self.event(CREATED_VERBS["dispatched"], ReportCopy, obj.pk, cid, d.sent_at,
                                   {"kind": d.kind, "recipient": d.recipient_name}, actor_id=editor, group=group)
                if copy.get("forward_obj"):
                    d, group = copy["forward_obj"], uuid.uuid4()
                    self.event(CREATED_VERBS["forwarded"], ReportCopy, obj.pk, cid, d.sent_at,
                               {"to": {"id": d.parent_copy.committee_id, "repr": d.recipient_name}}, actor_id=editor,
                               group=group)
                    self.event("opinions.copy_created", ReportCopy, d.parent_copy.pk, d.parent_copy.committee_id,
                               d.sent_at, {"from": {"id": cid, "repr": self.org.committees[cid].name}},
                               actor_id=editor, group=group)
                for key in ("adoption_obj", "external_obj"):
                    if copy.get(key):
                        a = copy[key]
                        self.event(CREATED_VERBS["adopted"], ReportCopy, obj.pk, cid, a.recorded_at, {
                            "level": a.level, "external": a.external, "kind": a.kind, "adopted_by": a.adopted_by,
                            "adopted_on": a.adopted_on.isoformat()}, actor_id=editor)
                if copy["instruction"] and copy.get("instruction_obj"):
                    i = copy["instruction_obj"]
                    follow_ups = copy.get("follow_up_objs", [])
                    self.event(CREATED_VERBS["instructed"], ReportCopy, obj.pk, cid, i.recorded_at, {
                        "level": i.level, "external": False, "leader": i.leader_name,
                        "instructed_on": i.instructed_on.isoformat(),
                        "departments": [self.org.department_names[f.department_id] for f in follow_ups],
                        "due_on": follow_ups[0].due_on.isoformat() if follow_ups else None}, actor_id=editor)
                    for f in follow_ups:
                        if f.status != F.OPEN:
                            self.event(FOLLOW_UP_VERBS[(F.OPEN, F.REPORTED)], FollowUp, f.pk, cid, f.responded_at,
                                       {"status": [F.OPEN, F.REPORTED]}, actor_id=f.responded_by_id)
                        if f.status == F.CLOSED:
                            self.event(FOLLOW_UP_VERBS[(F.REPORTED, F.CLOSED)], FollowUp, f.pk, cid, f.closed_at,
                                       {"status": [F.REPORTED, F.CLOSED]}, actor_id=editor)


def database_size():
    """The database's size in bytes (the SQLite file, or PostgreSQL's pg_database_size)."""
    if connection.vendor == "sqlite":
        import os

        name = connection.settings_dict["NAME"]
        return os.path.getsize(name) if name and os.path.exists(str(name)) else 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


# ------------------------------------------------------------------------------------------------ demo set

# The demo's story is set on a working day early enough that every follow-up due date stays inside the
# working-day calendar loaded by the migrations.
DEMO_TODAY = datetime.date(2026, 11, 2)
DEMO_STEPS = [
    # (target, author) in the order they are made; each target is a path through the real actions.
    ("submitted", "member"), ("urgent", "informant"), ("edited", "member"), ("returned", "informant"),
    ("signed", "member"), ("kept", "cosigner"), ("adopted", "informant"), ("instructed", "member"),
    ("reported", "informant"), ("closed", "member"), ("city_pending", "informant"), ("city_adopted", "member"),
    ("city_instructed", "informant"), ("province_pending", "member"), ("province_adopted", "informant"),
    ("external", "member"), ("withdrawn", "cosigner"), ("draft", "member"), ("collective", None),
    ("bulletin", "cosigner"), ("bulletin", "member"), ("bulletin", "informant"), ("city_adopted", "cosigner"),
    ("adopted", "cosigner"),
    ("submitted", "cosigner"), ("edited", "informant"), ("signed", "informant"), ("city_instructed", "member"),
    ("closed", "informant"), ("submitted", "informant"), ("adopted", "member"),
]


def demo_opinions(district, users):
    """Walk :data:`DEMO_STEPS` through the real actions with the demo personas. Returns the number of reports.

    ``users``: {persona key: User} with member, cosigner, informant, info_editor, info_signer, city_editor and
    dept_handler. The province level has no demo login, so its steps run as the system (``actor=None``).
    """
    from xieshang.org.models import Department

    from . import actions

    editor, signer, city_editor = users["info_editor"], users["info_signer"], users["city_editor"]
    department = Department.objects.get(committee=district, name__in=[
        d.department.name for d in users["dept_handler"].department_posts.select_related("department")])
    made, for_bulletin = 0, []
    for i, (target, author) in enumerate(DEMO_STEPS):
        topic = TOPICS[i % len(TOPICS)]
        data = {"title": f"关于{topic}的建议", "situation": SITUATION.format(topic=topic), "analysis": ANALYSIS,
                "suggestion": SUGGESTION, "is_urgent": target == "urgent"}
        if author is None:
            report = actions.do_create_report(district, data, collective_type=Report.CollectiveType.PARTY,
                                              collective_name="民盟东城区委员会", actor=editor)
            author_user = editor
        else:
            author_user = users[author]
            report = actions.do_create_report(district, data, actor=author_user)
        made += 1
        if target == "draft":
            continue
        actions.do_submit_report(report, actor=author_user)
        copy = report.copies.get()
        if target in ("submitted", "urgent", "collective"):
            continue
        if target in ("returned", "withdrawn"):
            actions.do_return_copy(copy, reason="请补充具体数据和事例，一事一报。", actor=editor)
            if target == "withdrawn":
                report.refresh_from_db()  # the permission check reads the status before the action reloads it
                actions.do_withdraw_report(report, reason="问题已解决。", actor=author_user)
            continue
        if target == "kept":
            actions.do_keep_copy(copy, reason="内容与已报送信息重复，留存备查。", actor=editor)
            continue
        actions.do_edit_copy(copy, data={"title": f"关于进一步解决{topic}问题的建议", "suggestion": REWRITE_SUGGESTION},
                             note="压缩篇幅，调整标题和建议。", actor=editor)
        if target == "edited":
            continue
        actions.do_sign_copy(copy, actor=signer)
        actions.do_dispatch_copy(copy, [
            {"kind": Dispatch.Kind.COMMITTEE_LEADER, "name": "区政协主席"},
            {"kind": Dispatch.Kind.DEPARTMENT, "name": department.name, "department": department}], actor=editor)
        if target == "signed":
            continue
        if target == "bulletin":
            for_bulletin.append(copy)  # compiled into the demo issue below
            continue
        if not target.startswith(("city", "province", "external")):
            actions.do_adopt_copy(copy, kind=Adoption.Kind.SINGLE, adopted_by="东城区委办公室",
                                  adopted_on=DEMO_TODAY, actor=editor)
            if target == "adopted":
                continue
            _instruct(actions, copy, "区长", department, editor, users["dept_handler"], target)
            continue
        city_copy = actions.do_forward_to_parent(copy, actor=editor)
        if target == "city_pending":
            continue
        actions.do_edit_copy(city_copy, data={}, note="核稿通过。", actor=city_editor)
        actions.do_sign_copy(city_copy, actor=city_editor)
        if target.startswith("city"):
            actions.do_adopt_copy(city_copy, kind=Adoption.Kind.SINGLE, adopted_by="示范市委办公室",
                                  adopted_on=DEMO_TODAY, actor=city_editor)
            if target == "city_instructed":
                # A city leader's instruction asks the district's department to act; the department reports back.
                _instruct(actions, city_copy, "副市长", department, city_editor, users["dept_handler"], "reported")
            continue
        province_copy = actions.do_forward_to_parent(city_copy, actor=city_editor)
        if target == "province_pending":
            continue
        actions.do_edit_copy(province_copy, data={}, actor=None)
        actions.do_sign_copy(province_copy, actor=None)
        actions.do_adopt_copy(province_copy, kind=Adoption.Kind.COMPREHENSIVE, adopted_by="示范省政协办公厅",
                              adopted_on=DEMO_TODAY, actor=None)
        if target == "external":
            actions.do_adopt_copy(province_copy, kind=Adoption.Kind.SINGLE, adopted_by="全国政协办公厅",
                                  adopted_on=DEMO_TODAY, external_level=LEVELS.NATIONAL, actor=None)
    # One published issue of the district's bulletin with the reports kept for it.
    signed = for_bulletin
    if len(signed) >= 3:
        issue = actions.do_create_bulletin(district, actor=editor)
        actions.do_add_bulletin_entry(issue, signed[:1], kind="single", actor=editor)
        actions.do_add_bulletin_entry(issue, signed[1:], kind="comprehensive", title="关于改善民生服务的综合报告",
                                      body="综合各方反映，" + REWRITE_SUGGESTION, actor=editor)
        actions.do_publish_bulletin(issue, signer_name=signer.get_full_name() or signer.username, actor=signer)
    return made


def _instruct(actions, copy, title, department, recorder, handler, target):
    instruction = actions.do_record_instruction(
        copy, leader_name="张建华", leader_title=title, text="请有关部门认真研究，抓好落实，并及时反馈。",
        instructed_on=DEMO_TODAY, departments=[department], actor=recorder)
    if target == "instructed":
        return
    follow_up = instruction.follow_ups.get()
    actions.do_report_follow_up(follow_up, response=RESPONSES[0], actor=handler)
    if target == "closed":
        actions.do_close_follow_up(follow_up, note="办理情况已反馈作者，办结。", actor=recorder)


def load_demo_opinions(district):
    """The demo's reports: :data:`DEMO_STEPS` through the real actions, as if today were :data:`DEMO_TODAY`.

    One transaction: all or nothing. Returns the number created (0 when the district already has reports or a
    demo login is missing).
    """
    from django.contrib.auth import get_user_model

    if Report.objects.filter(committee=district).exists():
        return 0
    keys = ["member", "cosigner", "informant", "info_editor", "info_signer", "city_editor", "dept_handler"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=keys)}
    if len(users) < len(keys):
        return 0
    with transaction.atomic(), pinned_today(dates, DEMO_TODAY):
        return demo_opinions(district, users)
