"""The editor's dashboard, an item's editor page (what was found, duplicates, revisions),
the lifecycle buttons, and uploads."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for

from hub.editor import changes, corrections, files, listing, revisions, uploads
from hub.store import queries
from hub.store.models import ITEM_TYPES, STATUSES, Item
from hub.web.editor.blueprint import acting_editor, bp
from hub.web.editor.forms import CorrectionForm, UploadForm, organisation_groups, place_groups
from hub.web.extensions import get_corpus

PROCESSING_REFRESH_SECONDS = 1  # how often the "processing" page looks again
STATUS_DONE = {"published": "Published: it is searchable now.",
               "retired": "Retired: it has left search and related items.",
               "draft": "Returned to draft: it has left search."}


@bp.get("/")
def dashboard():
    """Drafts, recent changes, and every item, found by words and filtered."""
    corpus = get_corpus()
    filters = listing.Filters.of(request.args)
    with corpus.session() as session:
        items, total = listing.find(session, corpus.settings, filters)
        return render_template(
            "editor/dashboard.html", drafts=changes.managed(session, corpus.settings, "draft"),
            recent=revisions.recent_revisions(session), items=items, total=total,
            filters=filters, pages=max(1, -(-total // listing.PER_PAGE)), types=ITEM_TYPES,
            statuses=STATUSES, origins=listing.ORIGINS,
            origin_of=partial(listing.origin_of, corpus.settings),
            page_url=lambda n: url_for("editor.dashboard", q=filters.words or None,
                                       type=filters.type or None,
                                       status=filters.status or None,
                                       origin=filters.origin or None, page=n, _anchor="all"))


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    """What an item holds, its possible duplicates, its revisions, and what can be done."""
    corpus = get_corpus()
    with corpus.session() as session:
        found = session.get(Item, item_id) or abort(404)
        if found.parent_id is not None:
            root = queries.root_of(found)
            return redirect(url_for("editor.item", item_id=root.id, _anchor=f"item-{item_id}"))
        source = files.source_of(corpus.settings, found)
        correction = None
        if source is not None and source.kind == files.UPLOAD:
            evidence = found.extra.get("evidence") or {}
            correction = CorrectionForm(formdata=None, data={
                **uploads.current_values(found),
                "evidence_level": str(evidence["level"]) if evidence.get("confirmed") else "",
            }).offer(corpus.taxonomy)
        return render_template(
            "editor/item.html", item=found, source=source, correction=correction,
            review=uploads.review(corpus, session, found),
            revisions=revisions.history(session, found.id),
            statuses=[s for s in changes.STATUS_ACTIONS if s != found.status],
            place_groups=place_groups(corpus.taxonomy),
            organisation_groups=organisation_groups(corpus.taxonomy))


def _done(item_id: int, act, message: str):
    """Run a change; flash what happened or why it was refused; back to the item's page."""
    try:
        saved = act()
    except changes.EditError as exc:
        flash(str(exc), "error")
        return redirect(url_for("editor.item", item_id=item_id), code=303)
    flash(message)
    return redirect(url_for("editor.item", item_id=saved.item_id), code=303)


@bp.post("/items/<int:item_id>/status")
def change_status(item_id: int):
    """Publish, retire or return to draft (the whole file: a report with its sections)."""
    status = request.form.get("status", "")
    return _done(item_id, partial(corrections.set_status, get_corpus(), item_id, status,
                                  acting_editor()), STATUS_DONE.get(status, ""))


@bp.post("/items/<int:item_id>/revisions/<int:number>/restore")
def restore(item_id: int, number: int):
    """Bring back an earlier revision (the status stays as it is)."""
    return _done(item_id, partial(corrections.restore_revision, get_corpus(), item_id, number,
                                  acting_editor()), f"Revision {number} restored.")


@bp.get("/items/<int:item_id>/revisions/<int:number>")
def revision(item_id: int, number: int):
    """One revision: who, when, and the lines that changed."""
    corpus = get_corpus()
    with corpus.session() as session:
        found = revisions.revision_diff(session, item_id, number) or abort(404)
        return render_template("editor/revision.html", item=session.get(Item, item_id),
                               revision=found[0], diff=found[1].splitlines(),
)


@bp.post("/items/<int:item_id>/corrections")
def correct(item_id: int):
    """Confirm or correct an upload's title, summary, date, tags and evidence level; publish
    it if asked."""
    corpus = get_corpus()
    form = CorrectionForm().offer(corpus.taxonomy)
    if not form.validate():
        flash("; ".join(f"{form[name].label.text}: {e}" for name, errors in form.errors.items()
                        for e in errors), "error")
        return redirect(url_for("editor.item", item_id=item_id), code=303)
    publish = request.form.get("action") == "publish"
    return _done(item_id, partial(uploads.correct, corpus, item_id, form.values(),
                                  acting_editor(), publish, form.evidence_level.data or ""),
        "Published, with everything found in it." if publish else "Corrections saved.")


@bp.get("/uploads/new")
def new_upload():
    """The upload form."""
    return render_template("editor/upload.html", form=UploadForm(),
                           types=uploads.TYPE_NAMES)


@bp.post("/uploads")
def upload():
    """Take a file: saved under a generated name, then read in the background (a hostile
    file never holds this worker); the editor watches its status page."""
    form = UploadForm()
    sent = request.files.get("file")
    if not form.validate() or sent is None or not sent.filename:
        return render_template("editor/upload.html", form=form, types=uploads.TYPE_NAMES,
                               error="Choose a file to upload."), 400
    try:
        token = uploads.start(get_corpus(), sent.stream, sent.filename, acting_editor())
    except uploads.TooLarge:
        abort(413)
    except changes.EditError as exc:
        return render_template("editor/upload.html", form=form, types=uploads.TYPE_NAMES,
                               error=str(exc), duplicate=exc.item_id), 400
    return redirect(url_for("editor.upload_status", token=token), code=303)


@bp.get("/uploads/<token>")
def upload_status(token: str):
    """An upload being read ("processing", the page refreshes itself), then its review page,
    or the reason it was refused."""
    job = uploads.job(get_corpus(), token) or abort(404)
    if job["state"] == "processing":
        return render_template("editor/upload_processing.html", name=job["name"],
                               refresh=PROCESSING_REFRESH_SECONDS), 202
    if job["state"] == "done":
        flash("Uploaded as a draft. Check what was found, correct it, then publish.")
        return redirect(url_for("editor.item", item_id=job["item_id"]), code=303)
    return render_template("editor/upload.html", form=UploadForm(), types=uploads.TYPE_NAMES,
                           error=job["message"], duplicate=job.get("item_id")), 400
