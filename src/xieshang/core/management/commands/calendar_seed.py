from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xieshang.core.actions import do_seed_calendar


class Command(BaseCommand):
    help = (
        "Load the holidays and make-up workdays of every year the installed chinese-calendar package covers "
        "and that is not loaded yet. Idempotent: loaded years (seeded or entered by hand) are left untouched."
    )

    def handle(self, *args, **options):
        filled = do_seed_calendar(actor=None)
        if filled:
            self.stdout.write(
                _("已载入 %(n)d 个年份：%(years)s。") % {"n": len(filled), "years": "、".join(map(str, filled))}
            )
        else:
            self.stdout.write(_("没有需要载入的年份，已载入的年份保持不变。"))
