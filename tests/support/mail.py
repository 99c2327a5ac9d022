"""Mail for the digest and subscription tests: a real SMTP server on 127.0.0.1 (aiosmtpd) with
a handler that keeps what it is given, and the secret that signs the links in the mail."""

from __future__ import annotations

import asyncio
import email
import email.policy
import smtplib
import threading
import time
from collections import Counter

from tests.support.network import free_port

TEST_SECRET = "test-secret-key-not-for-production"


class MailSink:
    """An aiosmtpd handler that keeps what it is given, and refuses or stalls when told to."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.reset()

    def reset(self, refuse: dict[str, str] | None = None, stall_after: int | None = None,
              hang_up_on: str | None = None):
        """Answer `refuse[address]` to those recipients; hang on the message after N; drop
        the connection, unanswered, once a message for `hang_up_on` is in."""
        self.refuse = refuse or {}
        self.stall_after = stall_after
        self.hang_up_on = hang_up_on
        self.stalled = threading.Event()

    def received(self) -> list:
        """The messages received so far, parsed."""
        return [email.message_from_bytes(data, policy=email.policy.default)
                for _, data in self.messages]

    def count_by_recipient(self) -> Counter:
        """How many messages each recipient got."""
        return Counter(r for rcpts, _ in self.messages for r in rcpts)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        if self.hang_up_on in envelope.rcpt_tos:
            server.transport.close()
            return None
        if self.stall_after is not None and len(self.messages) > self.stall_after:
            # The message is in, but no answer comes: the sender is stuck mid-send.
            self.stalled.set()
            await asyncio.sleep(60)
        return "250 Message accepted"


def start_smtp_server(sink: MailSink):
    """An aiosmtpd controller for the sink on a free port of 127.0.0.1, started and polled
    until it answers; the caller stops it."""
    from aiosmtpd.controller import Controller

    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            with smtplib.SMTP("127.0.0.1", controller.port, timeout=2) as probe:
                if probe.noop()[0] == 250:
                    return controller
        except OSError:
            if time.monotonic() > deadline:
                controller.stop()
                raise
            time.sleep(0.05)
