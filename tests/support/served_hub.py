"""A real hub in subprocesses: `hub` commands run against an instance, and `hub serve` on
127.0.0.1 (the browser to drive it is in tests.support.browser)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hub.config import PROJECT_DIR
from tests.support.network import free_port


@dataclass
class LiveHub:
    """A served instance: its base URL, instance folder and environment."""

    url: str
    home: Path
    env: dict
    process: subprocess.Popen

    def hub(self, *args: str, check: bool = True, stdin: str | None = None
            ) -> subprocess.CompletedProcess:
        """Run a `hub` command against this instance."""
        return run_hub(self.env, *args, check=check, stdin=stdin)

    def stop(self) -> None:
        """Stop the server and wait for it."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def hub_env(home: Path, **extra: str) -> dict:
    """The environment for a hub subprocess on this instance."""
    return {**os.environ, "PYTHONPATH": str(PROJECT_DIR), "HUB_HOME": str(home),
            "HUB_SECRET_KEY": "live-test-secret-key-0123456789abcdef", **extra}


def run_hub(env: dict, *args: str, check: bool = True,
            stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run a `hub` command in a subprocess with this environment."""
    return subprocess.run([sys.executable, "-m", "hub", *args], env=env, check=check,
                          input=stdin, capture_output=True, text=True, timeout=600)


def start_hub(home: Path, database_url: str, inputs: list[Path],
              setup: Callable[[dict], None] | None = None, **extra: str) -> LiveHub:
    """Ingest the inputs into a new instance with its store at `database_url`, run
    `setup(env)` (to add accounts, say), serve it, and wait until it answers."""
    env = hub_env(home, HUB_DATABASE_URL=database_url, **extra)
    run_hub(env, "ingest", "-q", *map(str, inputs))
    if setup:
        setup(env)
    return serve_hub(home, env)


def serve_hub(home: Path, env: dict) -> LiveHub:
    """Serve an instance (another process may already serve it) and wait until it answers."""
    env = dict(env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env["HUB_BASE_URL"] = url
    home.mkdir(parents=True, exist_ok=True)  # a store elsewhere (PostgreSQL) leaves it unmade
    log_path = home / f"serve-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--port", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hub serve exited: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return LiveHub(url, home, env, process)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("hub serve did not answer within 60 s")

