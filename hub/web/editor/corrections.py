"""The correction page of any item no file of the hub's holds (ingested documents, every
section): the form, shown and saved as a correction (hub.editor.corrections)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from hub.editor import corrections, revisions
from hub.editor.changes import EditError
from hub.store import queries
from hub.store.models import Item
from hub.text.dates import format_date, parse_partial_date
from hub.web.editor.blueprint import acting_editor, bp
from hub.web.editor.forms import CorrectItemForm, organisation_groups, place_groups
from hub.web.extensions import get_corpus


def _date_text(value: str | None) -> str:
    parsed = parse_partial_date(value) if value else None
    return format_date(*parsed) if parsed else ""


@bp.route("/items/<int:item_id>/correct", methods=["GET", "POST"])
def correct_item(item_id: int):
    """Correct an item's title, summary, date, themes, places, organisations and status."""
    corpus = get_corpus()
    with corpus.session() as session:
        item = session.get(Item, item_id) or abort(404)
        if not corrections.correctable(corpus.settings, item):
            flash("This item is kept in a file the hub edits: change it here.")
            return redirect(url_for("editor.item", item_id=item_id), code=303)
        form = CorrectItemForm().offer(corpus.taxonomy)
        if form.validate_on_submit():
            try:
                saved = corrections.correct(corpus, item_id, form.values(), acting_editor(),
                                            form.version.data or None)
            except EditError as exc:
                for name, problem in exc.errors.items():
                    getattr(form, name).errors = [*getattr(form, name).errors, problem]
                return _render(session, item, form, error=str(exc)), 400
            flash("Saved: " + (", ".join(saved.changes) or "nothing had changed") + ".")
            return redirect(url_for("editor.correct_item", item_id=item_id), code=303)
        if form.is_submitted():
            return _render(session, item, form), 400
        now = corrections.current(item)
        form = CorrectItemForm(formdata=None, data={
            **now.values, "date": _date_text(now.values["date"]),
            "version": corrections.version(item)}).offer(corpus.taxonomy)
        return _render(session, item, form)


def _render(session, item: Item, form: CorrectItemForm, **extra):
    taxonomy = get_corpus().taxonomy
    return render_template(
        "editor/correct.html", item=item, root=queries.root_of(item), form=form,
        corrected=corrections.current(item).corrected,
        above=corrections.inherited_status(item), revisions=revisions.history(session, item.id),
        place_groups=place_groups(taxonomy), organisation_groups=organisation_groups(taxonomy),
        **extra)
