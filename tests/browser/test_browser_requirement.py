"""Without chromium the browser tests skip with a reason, unless XS_REQUIRE_BROWSER=1 makes them fail (CI)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ONE_BROWSER_TEST = "tests/browser/test_browser_journeys.py::test_a_member_signs_in_without_a_second_factor"


def run_without_chromium(**env):
    environ = {k: v for k, v in os.environ.items() if k != "XS_REQUIRE_BROWSER"}
    environ.update(XS_CHROMIUM="/nonexistent/chromium", **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", ONE_BROWSER_TEST, "-q", "-rs", "-p", "no:xdist"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300,
    )


def test_browser_tests_skip_with_a_reason_when_chromium_is_missing():
    result = run_without_chromium()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "/nonexistent/chromium is missing" in result.stdout


def test_browser_tests_fail_when_chromium_is_missing_and_required():
    result = run_without_chromium(XS_REQUIRE_BROWSER="1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "XS_REQUIRE_BROWSER=1 but /nonexistent/chromium is missing" in result.stdout
