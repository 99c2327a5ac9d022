#!/usr/bin/env python3
"""Two web nodes over one store, on loopback: publish-to-searchable on the other node, and a
bounded load of readers on both.

Sets up a store (SQLite, or a throwaway PostgreSQL cluster with --database postgresql), ingests
--items synthetic pages through node A's home, and serves A and B (`hub serve`, each its own
home and index, one folder for editors' files). Then:

  publish   an editor uploads a page on A (a draft), publishes it on A, and the time from A's
            answer to B's first search finding it is measured, --publishes times
  load      --concurrency threads send GET requests to A and B in turn (results pages, the
            JSON API, item pages) until --requests have been sent or --seconds have passed;
            throughput, p50/p95 per node and the errors are printed

Everything listens on 127.0.0.1 and every wait has a deadline. --json prints the figures as
JSON. Example: python scripts/bench_nodes.py --database postgresql --items 2000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.databases import open_stores  # noqa: E402
from tests.support.editor import EDITOR, PASSWORD  # noqa: E402
from tests.support.live_client import LiveClient  # noqa: E402
from tests.support.served_hub import hub_env, run_hub, serve_hub  # noqa: E402

WORDS = ["pooled", "budgets", "families", "shared", "services", "customer", "insight",
         "worklessness", "probation", "referrals", "housing", "contact", "centre", "savings",
         "partnership", "evaluation", "councils", "districts", "advice", "employment"]
FOUND_WITHIN = 30.0  # seconds before a publish counts as not found


def write_pages(folder: Path, count: int, seed: int = 3) -> None:
    """Synthetic web pages of a few paragraphs each, from a small domain vocabulary."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        title = " ".join(rng.sample(WORDS, 4)).capitalize() + f" {n}"
        paragraphs = "".join(
            "<p>" + " ".join(rng.choices(WORDS, k=40)) + ".</p>" for _ in range(4))
        (folder / f"page-{n:05d}.html").write_text(
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{paragraphs}</article></body></html>", encoding="utf-8")


def publish_latencies(a, b, runs: int) -> list[float]:
    """Seconds from A's answer to a publish until B's search finds the item."""
    editor = LiveClient(a.url)
    editor.sign_in(EDITOR, PASSWORD)
    reader = LiveClient(b.url)
    found = []
    for n in range(runs):
        word = f"zebrafinch{n}x"
        page = (f"<html><head><title>Published {word}</title></head><body><article>"
                f"<h1>Published {word}</h1><p>The {word} pilot pooled budgets across two "
                f"districts.</p></article></body></html>").encode()
        item_id = editor.upload(f"{word}.html", page)
        answer = editor.post_form(f"/editor/items/{item_id}/status", {"status": "published"},
                                  page_path=f"/editor/items/{item_id}")
        assert answer.status == 200, answer.status
        start = time.monotonic()
        while item_id not in reader.search_ids(word):
            if time.monotonic() - start > FOUND_WITHIN:
                raise SystemExit(f"B did not find item {item_id} within {FOUND_WITHIN:.0f} s")
            time.sleep(0.02)
        found.append(time.monotonic() - start)
    return found


def load(nodes, requests: int, seconds: float, concurrency: int, item_ids: list[int]) -> dict:
    """Readers on both nodes, bounded by count and time: latencies per node, errors."""
    rng = random.Random(11)
    paths = []
    for n in range(requests):
        kind = n % 3
        if kind == 0:
            paths.append("/search?q=" + "+".join(rng.sample(WORDS, 2)))
        elif kind == 1:
            paths.append("/api/search?q=" + "+".join(rng.sample(WORDS, 3)))
        else:
            paths.append(f"/items/{rng.choice(item_ids)}")
    timings: dict[str, list[float]] = {node.url: [] for node in nodes}
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    clients = threading.local()

    def one(n: int) -> None:
        if time.monotonic() > deadline:
            return
        node = nodes[n % len(nodes)]
        if not hasattr(clients, "by_url"):
            clients.by_url = {node.url: LiveClient(node.url) for node in nodes}
        start = time.monotonic()
        answer = clients.by_url[node.url].request(paths[n])
        took = time.monotonic() - start
        with lock:
            timings[node.url].append(took)
            if answer.status != 200:
                errors.append(f"{paths[n]}: {answer.status}")

    began = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    elapsed = time.monotonic() - began
    sent = sum(len(t) for t in timings.values())
    return {"requests": sent, "seconds": round(elapsed, 2),
            "per_second": round(sent / elapsed, 1), "errors": len(errors),
            "first_errors": errors[:5],
            "nodes": {url: {"p50_ms": round(1000 * statistics.median(t), 1),
                            "p95_ms": round(1000 * _p95(t), 1)}
                      for url, t in timings.items() if t}}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def main() -> None:
    """Set up two nodes, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--publishes", type=int, default=10)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (0 < args.requests <= 100_000 and 0 < args.seconds <= 600
            and 0 < args.concurrency <= 64 and 0 <= args.publishes <= 100):
        parser.error("bounds: --requests 1-100000, --seconds up to 600, --concurrency 1-64, "
                     "--publishes 0-100")
    stores = open_stores(args.database)
    nodes = []
    try:
        with tempfile.TemporaryDirectory(prefix="hub-nodes-") as tmp:
            root = Path(tmp)
            url = stores.new_url(root / "node-a")
            shared = {"HUB_DATABASE_URL": url, "HUB_FILES_DIR": str(root / "editor-files"),
                      "HUB_INSECURE_COOKIES": "1"}
            env_a, env_b = (hub_env(root / n, **shared) for n in ("node-a", "node-b"))
            write_pages(root / "pages", args.items)
            started = time.monotonic()
            run_hub(env_a, "ingest", "-q", str(root / "pages"))
            ingest_seconds = time.monotonic() - started
            run_hub(env_a, "users", "add", EDITOR, "--role", "editor", "--password-stdin",
                    stdin=PASSWORD + "\n")
            nodes = [serve_hub(root / "node-a", env_a), serve_hub(root / "node-b", env_b)]
            # B builds its index at start: wait until it answers with results.
            probe = LiveClient(nodes[1].url)
            deadline = time.monotonic() + 300
            while not probe.search_ids("pooled budgets"):
                if time.monotonic() > deadline:
                    raise SystemExit("node B had no index after 300 s")
                time.sleep(0.2)
            latencies = publish_latencies(*nodes, args.publishes) if args.publishes else []
            ids = LiveClient(nodes[0].url).search_ids("pooled budgets families") or [1]
            loaded = load(nodes, args.requests, args.seconds, args.concurrency, ids)
            figures = {"database": args.database, "items": args.items,
                       "ingest_seconds": round(ingest_seconds, 1),
                       "publish_to_found_on_b_ms": {
                           "median": round(1000 * statistics.median(latencies), 1),
                           "p95": round(1000 * _p95(latencies), 1),
                           "max": round(1000 * max(latencies), 1),
                           "runs": len(latencies)} if latencies else None,
                       "load": loaded}
            for node in nodes:
                node.stop()
            nodes = []
            stores.drop(url)
    finally:
        for node in nodes:
            node.stop()
        stores.close()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.database}: {args.items:,} items ingested through A in "
          f"{figures['ingest_seconds']} s")
    if latencies:
        p = figures["publish_to_found_on_b_ms"]
        print(f"publish on A -> found on B: median {p['median']} ms, p95 {p['p95']} ms, "
              f"max {p['max']} ms ({p['runs']} publishes)")
    print(f"load: {loaded['requests']} requests in {loaded['seconds']} s "
          f"({loaded['per_second']}/s, {args.concurrency} threads), {loaded['errors']} errors")
    for url, t in loaded["nodes"].items():
        print(f"  {url}: p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms")


if __name__ == "__main__":
    main()
