"""Small helpers that the apps' ``actions.py`` modules share: the permission check, the row lock, working-day
deadlines and the users of a department.

They belong to the write path described in :mod:`xieshang.core.audit`: an action checks the actor's permission
(``actor=None`` is the system and may do anything), locks and reloads the rows it changes, and refuses with a
translated ``ValidationError``/``PermissionDenied`` before writing anything.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from . import calendar as workdays


def require(actor, perm, obj):
    """Refuse unless ``actor`` holds ``perm`` on ``obj``; the system (``None``) may do anything."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(_("您无权执行此操作。"))


def lock(obj):
    """Lock ``obj``'s row for the rest of the transaction and reload it in place (latest committed values)."""
    list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
    obj.refresh_from_db()
    return obj


def calendar_error(exc):
    """The refusal for a deadline that falls in a year whose holidays are not loaded (``BeyondCalendar``)."""
    return ValidationError(
        _("%(year)d 年节假日与调休安排尚未载入，无法计算期限；请先由管理员载入工作日历。") % {"year": exc.year}
    )


def add_working_days(start, n):
    """``start`` plus ``n`` working days on the loaded calendar; a ``ValidationError`` beyond it."""
    try:
        return workdays.add_working_days(start, n, workdays.load())
    except workdays.BeyondCalendar as exc:
        raise calendar_error(exc) from None


def due_after_months(start, n):
    """The deadline ``n`` months after ``start`` on the loaded calendar; a ``ValidationError`` beyond it."""
    try:
        return workdays.due_after_months(start, n, workdays.load())
    except workdays.BeyondCalendar as exc:
        raise calendar_error(exc) from None


def department_users(department_id):
    """The users who work in the department (its staff posts), to notify."""
    User = get_user_model()
    return list(User.objects.filter(department_posts__department_id=department_id).distinct())
