"""The editor pages under /editor: sign-in, case studies, uploads, corrections, lifecycle, audit
log.

Every route needs a signed-in account (checked before any view runs, so a new route cannot
forget it) except the sign-in page itself; admin pages need the admin role as well
(blueprint.py).
"""

from hub.web.editor import admin, auth, case_studies, corrections, documents  # noqa: F401 - routes
from hub.web.editor.blueprint import bp

__all__ = ["bp"]
