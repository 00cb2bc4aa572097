import pytest


@pytest.fixture
def personas(db):
    from xieshang.testing import make_personas

    return make_personas()


@pytest.fixture
def login():
    from xieshang.testing import login as _login

    return _login


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Background tasks run at once in tests (ids in, same transaction rules as the worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing itself read config.settings directly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    """WhiteNoise warns on every request when STATIC_ROOT is missing (collectstatic has not run in tests)."""
    from django.conf import settings

    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
