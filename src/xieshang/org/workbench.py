"""The organisation's own to-dos: failed imports waiting for their uploader, and a missing holiday calendar."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieshang.core import workbench

from . import roles


@workbench.register
def failed_imports(user):
    from .models import ImportJob

    jobs = ImportJob.objects.filter(created_by=user, status=ImportJob.Status.FAILED, resolved=False).select_related(
        "committee"
    )
    for job in jobs:
        yield workbench.TodoItem(
            kind="org.import_failed",
            title=_("导入失败：%(file)s（%(kind)s）") % {"file": job.filename, "kind": job.get_kind_display()},
            url=reverse("org:import_detail", args=[job.committee.code, job.pk]),
            committee=job.committee.short_name or job.committee.name,
            detail=_("%(n)d 处错误") % {"n": len(job.errors)},
        )


@workbench.register
def calendar_not_loaded(user):
    """Deadlines need next year's holidays once they are published (early November)."""
    from xieshang.core.models import CalendarYear

    if not user.is_authenticated or not (roles.is_sysadmin(user) or roles.OFFICE_ADMIN in roles.all_roles(user)):
        return
    today = timezone.localdate()
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    loaded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    for year in wanted:
        if year not in loaded:
            yield workbench.TodoItem(
                kind="core.calendar_missing",
                title=_("%(year)d 年节假日与调休安排尚未载入") % {"year": year},
                url=reverse("core:calendar"),
                detail=_("工作日期限无法计算到该年。"),
            )
