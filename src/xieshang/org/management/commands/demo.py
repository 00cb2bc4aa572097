"""``xieshang demo``: load the fictional demo committees and print how to sign in as each role."""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from xieshang.org import demo_data


def _unapplied_migrations():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


class Command(BaseCommand):
    help = _("加载演示数据（示范省政协、示范市政协及其下属东城区政协、每个角色一个演示账号），并打印演示账号。可重复运行。")

    def handle(self, *args, **options):
        if _unapplied_migrations():
            # A fresh database: bring it up to date first, so `xieshang demo` alone is enough.
            call_command("migrate", interactive=False, verbosity=0)
        city, district, created = demo_data.load_demo(actor=None)
        if created:
            self.stdout.write(self.style.SUCCESS(_("演示数据已加载：%(city)s、%(district)s。") % {
                "city": city.name, "district": district.name}))
            for label, count in created.items():
                self.stdout.write(_("  新建 %(label)s：%(count)d") % {"label": label, "count": count})
        else:
            self.stdout.write(_("演示数据已存在，未做任何更改。"))
        if "calendar_seed" in get_commands():
            # The working-day calendar belongs to core; its command is idempotent too and says what it did.
            call_command("calendar_seed", stdout=self.stdout)
        # Proposals (xieshang.proposals.seed): a modest set through the real actions, once.
        from xieshang.proposals.seed import load_demo_proposals

        made = load_demo_proposals(district)
        if made:
            self.stdout.write(_("  新建演示提案：%(count)d") % {"count": made})
        # 社情民意 (xieshang.opinions.seed): a few dozen reports across the three levels, through the actions, once.
        from xieshang.opinions.seed import load_demo_opinions

        made = load_demo_opinions(district)
        if made:
            self.stdout.write(_("  新建演示社情民意信息：%(count)d") % {"count": made})
        self.stdout.write("")
        self.stdout.write(login_table())


def login_table():
    """The demo logins as a plain-text table (role, username, password, TOTP secret for staff)."""
    rows = [(_("角色"), _("用户名"), _("密码"), _("双因素密钥（TOTP）"))]
    for persona in demo_data.PERSONAS:
        rows.append((str(persona.label), persona.username, demo_data.DEMO_PASSWORD,
                     demo_data.DEMO_TOTP_BASE32 if persona.staff else "-"))
    widths = [max(_display_width(row[i]) for row in rows) for i in range(4)]
    lines = [_("演示账号（仅供演示，切勿用于生产环境）：")]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (widths[i] - _display_width(cell)) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(_("工作人员登录后需输入 6 位验证码：把上面的密钥加入身份验证器应用，或运行 xieshang totp <用户名> 查看当前验证码。"))
    lines.append(_("委员登录只需密码。连续 5 次密码错误会锁定账号。"))
    return "\n".join(lines)


def _display_width(text):
    """Columns ``text`` takes in a terminal: CJK characters are two wide."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
