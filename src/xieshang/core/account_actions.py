"""Every change to an account's security state goes through these actions, each audited as ``account.*``.

Sign-in events (login, failed login, lockout, logout) are recorded here too, so the audit trail answers
"who signed in, from where, and who tried and failed" without a second log. Passwords and one-time codes are
never written to the trail; a failed sign-in records only the username that was typed.
"""

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .audit import action

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "backup"


# Sign-in events -------------------------------------------------------------------------------------------


@action
def do_record_login(user, *, actor):
    """Record that ``user`` signed in with a password (the second factor, if any, follows separately)."""
    audit.record("account.login", user, changes={"username": user.get_username()})


@action
def do_record_login_failure(username, *, locked=False, actor=None):
    """Record a refused sign-in for the typed ``username`` (which may name no account). Actor is None."""
    audit.record("account.login_failed", changes={"username": (username or "")[:150], "locked": bool(locked)})


@action
def do_record_lockout(username, *, actor=None):
    """Record that ``username`` is locked out after repeated failures (and each refusal while locked)."""
    audit.record("account.locked_out", _user_named(username), changes={"username": (username or "")[:150]})


@action
def do_record_logout(user, *, actor):
    audit.record("account.logout", user, changes={"username": user.get_username()})


@action
def do_record_second_factor(user, *, method, ok, actor):
    """Record a second-factor check: ``method`` is "totp" or "backup"; ``ok`` whether it passed."""
    verb = "account.second_factor_verified" if ok else "account.second_factor_failed"
    audit.record(verb, user, changes={"method": method})


# Second factor ---------------------------------------------------------------------------------------------


@action
def do_enrol_second_factor(device, *, actor):
    """Confirm ``device`` (a TOTP device its owner just proved) and issue fresh backup codes.

    Returns the list of backup codes; they are shown once and never again (only their use is recorded).
    """
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _issue_backup_codes(device.user)
    audit.record("account.second_factor_enrolled", device.user, changes={"backup_codes": len(codes)})
    return codes


@action
def do_regenerate_backup_codes(user, *, actor):
    """Replace ``user``'s backup codes with a new set (the old ones stop working). Returns the new codes."""
    codes = _issue_backup_codes(user)
    audit.record("account.backup_codes_regenerated", user, changes={"backup_codes": len(codes)})
    return codes


@action
def do_reset_second_factor(user, *, actor):
    """Remove every second-factor device of ``user``; the next sign-in enrols a new one.

    Sessions verified with a removed device stop counting as verified (django-otp looks the device up on
    every request), so a staff account with a lost phone cannot keep working on an old session.
    """
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    removed = {"totp": totp.count(), "backup": static.count()}
    totp.delete()
    static.delete()
    audit.record("account.second_factor_reset", user, changes={"removed_devices": removed})


@action
def do_unlock_account(user, *, actor):
    """Clear the failed sign-ins that lock ``user`` out (django-axes). Returns how many records were removed."""
    from axes.utils import reset

    removed = reset(username=user.get_username())
    audit.record("account.unlocked", user, changes={"cleared_attempts": removed})
    return removed


# Preferences -----------------------------------------------------------------------------------------------


@action
def do_update_preferences(pref, *, channels, language, actor):
    """Save a user's notification channels and interface language ("" = follow the browser)."""
    old = audit.snapshot(pref, ["channels", "language"])
    pref.channels = list(channels)
    pref.language = language
    pref.save(update_fields=["channels", "language"])
    changes = audit.diff(old, audit.snapshot(pref, ["channels", "language"]))
    if changes:
        audit.record("account.preferences_updated", pref.user, changes=changes)
    return pref


@action
def do_change_password(form, *, actor):
    """Save a validated ``PasswordChangeForm`` (or ``SetPasswordForm``). The password is never recorded."""
    user = form.save()
    audit.record("account.password_changed", user)
    return user


# Helpers ---------------------------------------------------------------------------------------------------


def _issue_backup_codes(user):
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _user_named(username):
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()
