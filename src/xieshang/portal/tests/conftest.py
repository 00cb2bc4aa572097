# The proposal workflow fixtures (a session, a 2026 calendar, a pinned clock and the Flow short-hands).
from xieshang.proposals.tests.conftest import cal2026, clock, world  # noqa: F401
