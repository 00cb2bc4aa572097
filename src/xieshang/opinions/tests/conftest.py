"""Fixtures for the 社情民意 tests: the personas with staff along the chain and a pinned date."""

import datetime

import pytest

from xieshang.opinions.testing import add_chain_staff, pin_today

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def today(monkeypatch):
    """The opinions actions see 2026-06-01 (inside the loaded calendar; +15 working days stays in 2026)."""
    return pin_today(monkeypatch, TODAY)


@pytest.fixture
def chain(personas, today):
    """The personas plus editors, signers, leaders and a department at the city and the province."""
    return add_chain_staff(personas)
