"""The case-study form: new and edit, with Preview, Suggest tags and Save (no JavaScript)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from hub.corpus.glance import LEVEL_NAMES
from hub.editor import duplicate_check
from hub.editor.case_study_form import CaseStudyFields, field_errors, plain_text, suggest
from hub.editor.changes import MARKDOWN, EditError, editable, save_case_study, text_version
from hub.indexing.sanitize import render_markdown
from hub.store.models import Item
from hub.web.editor.blueprint import acting_editor, bp
from hub.web.editor.forms import (
    CaseStudyForm,
    case_study_data,
    organisation_groups,
    place_groups,
)
from hub.web.extensions import get_corpus

ORIGIN = "the case study"  # how parser messages name the file being checked


@bp.route("/case-studies/new", methods=["GET", "POST"])
def new_case_study():
    """A new case study, saved as a draft."""
    return _case_study_page(None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_case_study(item_id: int):
    """Edit a case study kept as Markdown in the content folder."""
    return _case_study_page(item_id)


def _case_study_page(item_id: int | None):
    corpus = get_corpus()
    if request.method == "GET":
        fields, version = CaseStudyFields(), ""
        if item_id is not None:
            fields, version = _stored_fields(item_id)
            if fields is None:
                return redirect(url_for("editor.item", item_id=item_id), code=303)
        return _render(_form(fields, version), item_id)
    form = CaseStudyForm().offer(corpus.taxonomy)
    if not form.validate():
        return _render(form, item_id), 400
    action = request.form.get("action", "save")
    if action == "suggest":
        fields = suggest(form.fields(), corpus.parse_context.tagger)
        return _render(_form(fields, form.version.data), item_id,
                       notice="Themes, places, organisations and outcomes found in the text "
                              "were added: check them before saving.")
    if action == "preview":
        return _preview(form, item_id)
    return _save(form, item_id)


def _stored_fields(item_id: int):
    corpus = get_corpus()
    try:
        source, text = editable(corpus, item_id, MARKDOWN)
    except EditError as exc:
        flash(str(exc), "error")
        return None, ""
    return CaseStudyFields.from_text(text, source.origin, corpus.taxonomy), text_version(text)


def _form(fields: CaseStudyFields, version: str) -> CaseStudyForm:
    return CaseStudyForm(formdata=None, data=case_study_data(fields, version)).offer(
        get_corpus().taxonomy)


def _preview(form: CaseStudyForm, item_id: int | None):
    corpus = get_corpus()
    fields = form.fields()
    problems = form.show_errors(field_errors(fields, corpus.taxonomy, ORIGIN))
    with corpus.session() as session:
        found = duplicate_check.duplicates(corpus, session, fields.title, plain_text(fields.body),
                                   fields.source_url, {item_id} if item_id else set())
    return _render(form, item_id, preview=render_markdown(fields.body), duplicates=found,
                   problems=problems)


def _save(form: CaseStudyForm, item_id: int | None):
    try:
        saved = save_case_study(get_corpus(), form.fields(), acting_editor(), item_id,
                                form.version.data or None)
    except EditError as exc:
        problems = form.show_errors(exc.errors)
        return _render(form, item_id, error=str(exc), problems=problems), 400
    if item_id is None:
        flash("The case study is saved as a draft. Check it, then publish it.")
    else:
        flash("Saved: " + (", ".join(saved.changes) or "nothing had changed") + ".")
    return redirect(url_for("editor.item", item_id=saved.item_id), code=303)


def _evidence_hint(item_id: int | None) -> str:
    """What the hub suggests for the stored case study, so the editor can confirm or change it."""
    hint = "Confirm the level suggested from the method, or choose another (see the help page)."
    if item_id is None:
        return hint
    with get_corpus().session() as session:
        item = session.get(Item, item_id)
        evidence = (item.extra or {}).get("evidence") or {} if item else {}
    if not evidence.get("suggested"):
        return hint
    said = f' from "{evidence["sentence"]}"' if evidence.get("sentence") else ""
    return f"Suggested: level {LEVEL_NAMES[str(evidence['suggested'])]}{said}. {hint}"


def _render(form: CaseStudyForm, item_id: int | None, **extra):
    taxonomy = get_corpus().taxonomy
    return render_template("editor/case_study_form.html", form=form.add_blank_rows(),
                           item_id=item_id, evidence_hint=_evidence_hint(item_id),
                           place_groups=place_groups(taxonomy),
                           organisation_groups=organisation_groups(taxonomy), **extra)
