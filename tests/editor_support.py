"""What the editor tests share: a content folder of their own, accounts, signing in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hub.config import DEFAULT_CONTENT_DIR

ADMIN = "admin@example.org"
EDITOR = "editor@example.org"
PASSWORD = "a long test passphrase"
# A few of the bundled case studies (our own sample text), so search and duplicates have
# something to find; the editors write into a copy, never into content/.
SAMPLE_CASE_STUDIES = (
    "coventry-customer-insight-worklessness.md",
    "kent-avoidable-contact.md",
    "sheffield-benefits-and-housing-data.md",
    "newham-future-jobs-fund-evaluation.md",
    "norfolk-marac-information-sharing.md",
    "reading-customer-satisfaction-dashboard.md",
)


def make_content(folder: Path, case_studies=SAMPLE_CASE_STUDIES) -> Path:
    """A content folder: the real taxonomy linked in, copies of some case studies."""
    (folder / "case_studies").mkdir(parents=True)
    (folder / "taxonomy").symlink_to(DEFAULT_CONTENT_DIR / "taxonomy", target_is_directory=True)
    for name in case_studies:
        shutil.copy(DEFAULT_CONTENT_DIR / "case_studies" / name, folder / "case_studies" / name)
    return folder


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def sign_in(client, email: str = ADMIN, password: str = PASSWORD):
    """Sign in through the form; returns the response to the POST."""
    page = client.get("/editor/login")
    return client.post("/editor/login", data={"csrf_token": csrf_token(page.text),
                                              "email": email, "password": password})


def post_form(client, path: str, data: dict, page_path: str | None = None):
    """POST to a path with the CSRF token of a page (by default the same path)."""
    page = client.get(page_path or path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_token(page.text), **data})
