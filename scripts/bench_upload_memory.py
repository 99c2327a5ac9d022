#!/usr/bin/env python3
"""The web process's memory while hostile files are uploaded through the editor.

Serves a fresh instance with `hub serve`, signs in as an editor, uploads each hostile file
of the reliability tests (tests/support/hostile.py) and waits for its outcome, then prints
the serving process's peak resident set (VmHWM) before and after, and each upload's
outcome. Acceptance: the web process stays under 400 MB.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support

from tests.support.hostile import HOSTILE  # noqa: E402
from tests.support.served_hub import hub_env, run_hub, serve_hub  # noqa: E402

EMAIL, PASSWORD = "bench@example.org", "a long benchmark passphrase"
UPLOADED = ("text-page-pdf", "nested-flate-pdf", "markdown-100000", "html-100000",
            "entity-bomb", "long-word", "nul-html")


def peak_mb(pid: int) -> float:
    """A process's peak resident set so far, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def token(page: str) -> str:
    """The CSRF token of a form."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def multipart(fields: dict[str, str], path: Path) -> tuple[bytes, str]:
    """A multipart/form-data body holding the fields and one file."""
    boundary = secrets.token_hex(16)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + path.read_bytes() + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def main() -> None:
    """Serve, upload each hostile file, print the web process's peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = hub_env(home, HUB_INSECURE_COOKIES="1")
        run_hub(env, "users", "add", EMAIL, "--password-stdin", stdin=PASSWORD + "\n")
        live = serve_hub(home, env)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        try:
            page = opener.open(live.url + "/editor/login").read().decode()
            opener.open(live.url + "/editor/login", urllib.parse.urlencode({
                "csrf_token": token(page), "email": EMAIL, "password": PASSWORD}).encode())
            print(f"web process peak before uploads: {peak_mb(live.process.pid):.0f} MB")
            for name in UPLOADED:
                path = HOSTILE[name](Path(tmp))
                form = opener.open(live.url + "/editor/uploads/new").read().decode()
                body, boundary = multipart({"csrf_token": token(form)}, path)
                request = urllib.request.Request(live.url + "/editor/uploads", data=body,
                                                 headers={"Content-Type": "multipart/form-data;"
                                                          f" boundary={boundary}"})
                started = time.monotonic()
                outcome = upload_outcome(opener, request)
                print(f"  {name:18} {path.stat().st_size / 2**20:6.1f} MiB  "
                      f"{time.monotonic() - started:5.1f} s  {outcome[:90]}  "
                      f"(web peak {peak_mb(live.process.pid):.0f} MB)", flush=True)
            print(f"web process peak after uploads: {peak_mb(live.process.pid):.0f} MB")
        finally:
            live.stop()


def upload_outcome(opener, request) -> str:
    """Post an upload and follow its status page to the outcome."""
    try:
        response = opener.open(request)
        while response.status == 202:
            time.sleep(0.5)
            response = opener.open(response.url)
        return f"{response.status} {response.url.rsplit('/', 2)[-2:]}"
    except urllib.error.HTTPError as exc:
        text = exc.read().decode()
        found = re.search(r'role="alert"><p>(.*?)</p>', text, re.S)
        return f"{exc.code} {found.group(1) if found else ''}"


if __name__ == "__main__":
    main()
