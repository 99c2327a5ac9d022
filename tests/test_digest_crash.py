"""Exactly one digest per subscriber per week, even when the sender is killed mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from hub.config import PROJECT_DIR
from tests.support.rows import add_item, add_subscriber, populate

pytestmark = pytest.mark.reliability

SCRIPT = PROJECT_DIR / "scripts" / "send_digest.py"
PEOPLE = [f"reader{n}@example.org" for n in range(1, 6)]


def sender(settings, mail_env) -> subprocess.Popen:
    """scripts/send_digest.py in its own process, over the test store and SMTP server."""
    env = {**os.environ, **mail_env, "HUB_HOME": str(settings.home),
           "HUB_CONTENT_DIR": str(settings.content_dir),
           "PYTHONPATH": str(PROJECT_DIR)}
    return subprocess.Popen([sys.executable, str(SCRIPT)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_killed_sender_never_sends_twice(corpus, settings, mail_env, smtp):
    def build(session):
        add_item(session, "Data sharing in Coventry", ["data-sharing"], days_ago=1)
        for address in PEOPLE:
            add_subscriber(session, address, ["data-sharing"])

    populate(corpus, build)
    # The server takes two messages, then takes the third but never answers: the sender is
    # stuck in the middle of a send when it is killed.
    smtp.reset(stall_after=2)
    first = sender(settings, mail_env)
    assert smtp.stalled.wait(timeout=30), "the sender never reached the third message"
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert smtp.count_by_recipient() == {address: 1 for address in PEOPLE[:3]}

    smtp.reset()
    second = sender(settings, mail_env)
    output, _ = second.communicate(timeout=60)
    assert second.returncode == 1, output  # something to review
    assert "2 sent" in output and "1 to review" in output and "2 done earlier" in output
    assert f"review: {PEOPLE[2]}: a send was cut off (Message-ID <digest." in output
    # Counted at the server: everyone has exactly one digest for the week.
    assert smtp.count_by_recipient() == {address: 1 for address in PEOPLE}

    third = sender(settings, mail_env)
    output, _ = third.communicate(timeout=60)
    assert "0 sent" in output and f"review: {PEOPLE[2]}" in output
    assert smtp.count_by_recipient() == {address: 1 for address in PEOPLE}
