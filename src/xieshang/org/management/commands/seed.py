"""``xieshang seed --scale N``: N extra district committees of the demo's shape, for benchmarks.

Each extra committee (code ``seed-001`` … under the demo city, which is loaded first if missing) gets the
demo district's structure: 25 sectors, 7 special committees, 7 liaison groups, 64 departments and 220 members,
with no login accounts. Every row is written through the organisation actions, so the audit trail is as in
real use; each committee is one action (one transaction), which keeps SQLite fast (about a second per
committee). Already-present committees are skipped, so the command is idempotent and can grow a database
step by step (``--scale 5`` then ``--scale 20`` adds 15).

``--opinions N`` (社情民意, ``xieshang.opinions.seed``) instead builds the three-level benchmark (the demo
province, 4 cities, 15 districts) and bulk-writes N reports across it; ``--scale`` is then not applied unless
given.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xieshang.org import demo_data
from xieshang.org.models import Committee


class Command(BaseCommand):
    help = _("为性能测试生成 N 个与演示区政协同样规模的区政协（每个约 220 名委员、64 个承办单位）。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=None, help=_("额外生成的区政协个数（默认 1）"))
        # Proposals (xieshang.proposals.seed): bulk rows for the benchmarks in bench/.
        parser.add_argument("--proposals", type=int, default=0, help=_("另外为一个政协生成的提案件数（批量写入）"))
        parser.add_argument("--proposals-committee", default=demo_data.DISTRICT["code"],
                            help=_("生成提案的政协代码（默认演示区政协）"))
        # 社情民意 (xieshang.opinions.seed): three levels, 20 committees, bulk reports.
        parser.add_argument("--opinions", type=int, default=0,
                            help=_("在省、市、区三级共 20 个政协中批量生成的社情民意信息篇数"))

    def handle(self, *args, scale, **options):
        if scale is None:
            scale = 0 if options["opinions"] else 1
        elif scale < 1 or scale > 999:
            raise CommandError(_("--scale 须在 1 到 999 之间。"))
        if options["opinions"] and (options["opinions"] < 1 or options["opinions"] > 2_000_000):
            raise CommandError(_("--opinions 须在 1 到 2000000 之间。"))
        city = Committee.objects.filter(code=demo_data.CITY["code"]).first()
        if city is None:
            city, _district, _created = demo_data.load_demo(actor=None)
        if scale:
            started = time.monotonic()
            made = 0
            for number in range(1, scale + 1):
                if demo_data.load_seed_committee(number, parent=city, actor=None):
                    made += 1
            self.stdout.write(_("已新建 %(made)d 个区政协（共 %(scale)d 个），用时 %(seconds).1f 秒。") % {
                "made": made, "scale": scale, "seconds": time.monotonic() - started})
        if options["proposals"]:
            self.seed_proposals(options["proposals"], options["proposals_committee"])
        if options["opinions"]:
            self.seed_opinions(options["opinions"])

    def seed_opinions(self, n):
        """Bulk 社情民意 reports across three levels (see opinions/seed.py)."""
        from xieshang.opinions import seed as opinion_seed

        committees = opinion_seed.ensure_structure(log=self.stdout.write)
        try:
            totals = opinion_seed.seed_opinions(n, committees=committees, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("已在 %(count)d 个政协中生成社情民意信息 %(n)d 篇，用时 %(seconds).1f 秒。") % {
            "count": len(committees), "n": totals["reports"], "seconds": totals["seconds"]})
        self.stdout.write(", ".join(f"{key}={value}" for key, value in totals.items()))

    def seed_proposals(self, n, code):
        """Bulk proposals with their assignments, replies, ratings and audit rows (see proposals/seed.py)."""
        from xieshang.proposals import seed as proposal_seed

        if n < 1 or n > 2_000_000:
            raise CommandError(_("--proposals 须在 1 到 2000000 之间。"))
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            raise CommandError(_("没有代码为“%(code)s”的政协。") % {"code": code})
        try:
            totals = proposal_seed.seed_proposals(committee, n, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("已为%(name)s生成提案 %(n)d 件，用时 %(seconds).1f 秒。") % {
            "name": committee.name, "n": totals["proposals"], "seconds": totals["seconds"]})
        self.stdout.write(", ".join(f"{key}={value}" for key, value in totals.items()))
