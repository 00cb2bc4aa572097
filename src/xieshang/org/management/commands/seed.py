"""``xieshang seed --scale N``: N extra district committees of the demo's shape, for benchmarks.

Each extra committee (code ``seed-001`` … under the demo city, which is loaded first if missing) gets the
demo district's structure: 25 sectors, 7 special committees, 7 liaison groups, 64 departments and 220 members,
with no login accounts. Every row is written through the organisation actions, so the audit trail is as in
real use; each committee is one action (one transaction), which keeps SQLite fast (about a second per
committee). Already-present committees are skipped, so the command is idempotent and can grow a database
step by step (``--scale 5`` then ``--scale 20`` adds 15).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from xieshang.org import demo_data
from xieshang.org.models import Committee


class Command(BaseCommand):
    help = _("为性能测试生成 N 个与演示区政协同样规模的区政协（每个约 220 名委员、64 个承办单位）。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help=_("额外生成的区政协个数"))

    def handle(self, *args, scale, **options):
        if scale < 1 or scale > 999:
            raise CommandError(_("--scale 须在 1 到 999 之间。"))
        city = Committee.objects.filter(code=demo_data.CITY["code"]).first()
        if city is None:
            city, _district, _created = demo_data.load_demo(actor=None)
        started = time.monotonic()
        made = 0
        for number in range(1, scale + 1):
            if demo_data.load_seed_committee(number, parent=city, actor=None):
                made += 1
        self.stdout.write(_("已新建 %(made)d 个区政协（共 %(scale)d 个），用时 %(seconds).1f 秒。") % {
            "made": made, "scale": scale, "seconds": time.monotonic() - started})
