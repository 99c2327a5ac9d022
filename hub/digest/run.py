"""One weekly run: for each active subscriber, build, render and send (or write) their digest."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from hub.corpus import Corpus
from hub.digest import ledger, searches
from hub.digest.build import (
    Digest,
    DigestBuilder,
    RelatedOlder,
    new_items,
    recommended_older,
    shared_themes_related,
)
from hub.digest.mail import (
    Mailer,
    MailSettings,
    PermanentError,
    TransientError,
    UncertainError,
)
from hub.digest.render import digest_message
from hub.digest.subscribers import active
from hub.store.models import DigestDelivery, Item, Subscriber, utcnow
from hub.text.addresses import HeaderInjectionError

DEFAULT_WINDOW = dt.timedelta(days=7)
EX_TEMPFAIL = 75  # sysexits.h: "try again later"


@dataclass
class RunSummary:
    """What a run did, subscriber by subscriber, and the lines printed at the end."""

    week: str
    dry_run: bool = False
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # "email: reason"; a later run retries
    failed: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # cut off mid-send: not repeated
    done_before: int = 0  # already sent, skipped or failed earlier this week
    written: list[Path] = field(default_factory=list)  # --dry-run files
    stopped: str | None = None  # why the run stopped early (server unreachable)

    def lines(self) -> list[str]:
        """The summary: one line of counts, then one line per subscriber needing attention."""
        done = f"{len(self.written)} written (dry run)" if self.dry_run else f"{len(self.sent)} sent"
        head = (f"digest {self.week}: {done}, "
                f"{len(self.skipped)} skipped (nothing new), {len(self.pending)} pending "
                f"(temporary failure: run again later), {len(self.failed)} failed, "
                f"{len(self.review)} to review, {self.done_before} done earlier this week")
        lines = [head]
        if self.stopped:
            lines.append(f"stopped early, the rest stay pending: {self.stopped}")
        lines += [f"pending: {p}" for p in self.pending]
        lines += [f"failed: {f}" for f in self.failed]
        lines += [f"review: {r}" for r in self.review]
        return lines

    @property
    def exit_code(self) -> int:
        """0 when all went through; 1 when something failed or needs review; 75 to retry."""
        if self.failed or self.review:
            return 1
        return EX_TEMPFAIL if self.pending or self.stopped else 0


def _review_line(subscriber: Subscriber, row: DigestDelivery) -> str:
    return (f"{subscriber.email}: a send was cut off (Message-ID {row.message_id}); it is not "
            "repeated - check the mail server's log for that Message-ID")


class DigestRun:
    """A digest run for the ISO week of `now`.

    `related_older` is the seam for "one related older item per new case study": by default
    the TF-IDF recommender's best older suggestion, else the older item sharing most themes.
    """

    def __init__(self, corpus: Corpus, mail: MailSettings, secret: str,
                 since: dt.datetime | None = None, now: dt.datetime | None = None,
                 related_older: RelatedOlder | None = None):
        self.corpus, self.mail, self.secret, self.since = corpus, mail, secret, since
        self.until = now or utcnow()
        self.week = ledger.iso_week(self.until)
        self.related_older = related_older

    def _plan(self, session: Session) -> Iterator[tuple[Subscriber, DigestDelivery | None,
                                                        Digest | None]]:
        """Each active subscriber with this week's ledger row and, if still to do, their digest."""
        rows = ledger.rows_for_week(session, self.week)
        subscribers = active(session)
        starts = {s.id: self._start(session, s) for s in subscribers}
        items = new_items(session, min(starts.values(), default=self.until), self.until)
        builder = DigestBuilder(self.corpus.taxonomy,
                                self.related_older or self._recommended(session, items))
        matches = self._matches(subscribers, items)
        for subscriber in subscribers:
            row = rows.get(subscriber.id)
            if row is not None and row.status != "pending":
                yield subscriber, row, None
                continue
            mine = [i for i in items if i.created_at >= starts[subscriber.id]]
            yield subscriber, row, builder.build(subscriber, mine, matches)

    def _matches(self, subscribers: list[Subscriber], items: list[Item]) -> dict[str, set[int]]:
        """The new items each saved search matches, asked once per distinct search."""
        saved = {s for subscriber in subscribers for s in subscriber.searches or ()}
        if not saved or not items:
            return {}
        self.corpus.search.follow()  # the week's new items must be in the index
        ids = [i.id for i in items]
        return {s: searches.matching(self.corpus.search.backend, s, ids) for s in saved}

    def _recommended(self, session: Session, new: list[Item]) -> RelatedOlder:
        self.corpus.related.refresh()  # the week's new items must be in the model
        return recommended_older(session, self.corpus.related, shared_themes_related(session),
                                 frozenset(i.id for i in new))

    def _start(self, session: Session, subscriber: Subscriber) -> dt.datetime:
        if self.since is not None:
            return self.since
        return ledger.covered_until(session, subscriber.id) or self.until - DEFAULT_WINDOW

    def dry_run(self, directory: Path) -> RunSummary:
        """Write the digests a send would send as .eml files; the ledger is not touched."""
        directory.mkdir(parents=True, exist_ok=True)
        summary = RunSummary(self.week, dry_run=True)
        with self.corpus.session() as session:
            for subscriber, row, digest in self._plan(session):
                if row is not None and row.status != "pending":
                    self._note_done(summary, subscriber, row)
                elif digest is None:
                    summary.skipped.append(subscriber.email)
                else:
                    self._write(directory, summary, subscriber, digest)
        return summary

    def _write(self, directory: Path, summary: RunSummary, subscriber, digest) -> None:
        try:
            message = digest_message(self.mail, self.secret, subscriber, digest, self.week)
        except HeaderInjectionError as exc:
            summary.failed.append(f"{subscriber.email}: {exc}")
            return
        path = directory / f"{self.week}-subscriber-{subscriber.id}.eml"
        path.write_bytes(message.as_bytes())
        summary.written.append(path)

    def send(self, mailer: Mailer) -> RunSummary:
        """Send every digest still due this week, committing each ledger step before the next."""
        summary = RunSummary(self.week)
        with self.corpus.session() as session:
            for subscriber, row, digest in self._plan(session):
                if row is not None and row.status != "pending":
                    self._note_done(summary, subscriber, row)
                elif summary.stopped is None:
                    row = ledger.open_row(session, subscriber.id, self.week)
                    self._deliver(session, mailer, summary, subscriber, row, digest)
        return summary

    def _note_done(self, summary: RunSummary, subscriber: Subscriber, row: DigestDelivery):
        if row.status == "sending":
            summary.review.append(_review_line(subscriber, row))
        else:
            summary.done_before += 1

    def _deliver(self, session, mailer, summary, subscriber, row, digest) -> None:
        if row.status != "pending":  # another run got there between the plan and now
            self._note_done(summary, subscriber, row)
        elif digest is None:
            ledger.settle(session, row, "skipped", until=self.until)
            summary.skipped.append(subscriber.email)
        else:
            self._compose_and_send(session, mailer, summary, subscriber, row, digest)

    def _compose_and_send(self, session, mailer, summary, subscriber, row, digest) -> None:
        try:
            message = digest_message(self.mail, self.secret, subscriber, digest, self.week)
            mailer.connect()
        except HeaderInjectionError as exc:
            ledger.settle(session, row, "failed", error=str(exc))
            summary.failed.append(f"{subscriber.email}: {exc}")
            return
        except (OSError, smtplib.SMTPException) as exc:  # nothing was sent: all stay pending
            summary.stopped = f"cannot reach the SMTP server: {exc}"
            return
        if ledger.claim(session, row, message["Message-ID"], digest.count):
            self._send_one(session, mailer, summary, subscriber, row, message)
        else:
            self._note_done(summary, subscriber, row)

    def _send_one(self, session, mailer, summary, subscriber, row, message) -> None:
        try:
            mailer.send(message, subscriber.email)
        except TransientError as exc:
            ledger.settle(session, row, "pending", error=str(exc))
            summary.pending.append(f"{subscriber.email}: {exc}")
        except PermanentError as exc:
            ledger.settle(session, row, "failed", error=str(exc))
            summary.failed.append(f"{subscriber.email}: {exc}")
        except UncertainError as exc:
            ledger.settle(session, row, "sending", error=str(exc))
            summary.review.append(_review_line(subscriber, row) + f" ({exc})")
        else:
            ledger.settle(session, row, "sent", until=self.until)
            summary.sent.append(subscriber.email)
