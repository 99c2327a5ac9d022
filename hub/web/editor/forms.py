"""The editor's forms (Flask-WTF: every one carries a CSRF token), and case-study fields to
and from the form."""

from __future__ import annotations

from collections import defaultdict

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hub.corpus.glance import LEVEL_NAMES
from hub.editor.case_study_form import OUTCOME_KINDS, CaseStudyFields, OutcomeInput
from hub.editor.corrections import MAX_SUMMARY, MAX_TITLE
from hub.vocabulary.taxonomy import Taxonomy
from hub.web.choices import options

BLANK_OUTCOME_ROWS = 2
MAX_OUTCOME_ROWS = 30
PERIOD_EXAMPLES = ("per year", "per month", "per week", "one-off", "over 3 years")


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email address", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


class Checkboxes(SelectMultipleField):
    """Several choices as checkboxes; values are checked by the Markdown parser, not here,
    so a made-up value gets the parser's message ("unknown theme ...")."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validate_choice=False, **kwargs)


class OutcomeForm(Form):
    """One outcome row (a sub-form: the case-study form's token covers it)."""

    amount = StringField("Amount", validators=[Optional(), Length(max=200)])
    period = StringField("Period", validators=[Optional(), Length(max=40)])
    # Not "description": every field already has a .description (its help text).
    what = StringField("What the money is", validators=[Optional(), Length(max=1000)])
    kind = SelectField("Kind", choices=options((k, k) for k in OUTCOME_KINDS), default="saving")


# An editor confirms the suggested level by choosing it, or changes it; "" keeps the suggestion.
EVIDENCE_CHOICES = options([("", "Not confirmed: use the level suggested from the text"),
                            *((str(n), f"Level {LEVEL_NAMES[str(n)]}") for n in range(5, 0, -1))])


class TaggedForm(FlaskForm):
    """A form with theme, place and organisation checkboxes."""

    def offer(self, taxonomy: Taxonomy):
        """Fill the choices from the vocabulary."""
        self.themes.choices = options(sorted(((t.slug, t.name) for t in taxonomy.themes.values()),
                                             key=lambda pair: pair[1]))
        self.places.choices = options((p.slug, p.name) for p in taxonomy.places.values())
        self.organisations.choices = options((o.slug, o.name)
                                             for o in taxonomy.organisations.values())
        return self


class CaseStudyForm(TaggedForm):
    """The structured fields of a case study and its Markdown text."""

    title = StringField("Title", validators=[Length(max=300)])
    summary = TextAreaField("Summary", validators=[Length(max=2000)])
    date = StringField("Date", validators=[Length(max=100)])
    themes = Checkboxes("Themes")
    places = Checkboxes("Places")
    organisations = Checkboxes("Organisations")
    outcomes = FieldList(FormField(OutcomeForm), max_entries=MAX_OUTCOME_ROWS)
    method = TextAreaField("Method or evidence", validators=[Length(max=2000)])
    contact = StringField("Contact", validators=[Length(max=500)])
    source_url = StringField("Source URL", validators=[Length(max=1000)])
    evidence_level = SelectField("Evidence level", choices=EVIDENCE_CHOICES, default="")
    body = TextAreaField("Text (Markdown)", validators=[Length(max=200_000)])
    version = HiddenField()

    def add_blank_rows(self) -> CaseStudyForm:
        """Leave empty outcome rows to fill in (no JavaScript adds rows)."""
        blanks = sum(1 for row in self.outcomes if not any(
            (row.amount.data, row.period.data, row.what.data)))
        for _ in range(max(0, BLANK_OUTCOME_ROWS - blanks)):
            if len(self.outcomes) < MAX_OUTCOME_ROWS:
                self.outcomes.append_entry()
        return self

    def fields(self) -> CaseStudyFields:
        """What the editor entered, as case-study fields."""
        rows = [OutcomeInput(r.amount.data or "", r.period.data or "", r.what.data or "",
                             r.kind.data or "saving") for r in self.outcomes]
        return CaseStudyFields(
            title=self.title.data or "", summary=self.summary.data or "",
            date=self.date.data or "", themes=list(self.themes.data or []),
            places=list(self.places.data or []),
            organisations=list(self.organisations.data or []), outcomes=rows,
            method=self.method.data or "", contact=self.contact.data or "",
            source_url=self.source_url.data or "",
            evidence_level=self.evidence_level.data or "", body=self.body.data or "")

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Put the parser's problems beside their fields; returns those with no field."""
        unplaced = []
        rows = [r for r in self.outcomes if r.amount.data or r.period.data or r.what.data]
        for name, problem in errors.items():
            field = self._field_for(name, rows)
            if field is None:
                unplaced.append(f"{name}: {problem}")
            else:
                field.errors = [*field.errors, problem]
        return unplaced

    def _field_for(self, name: str, rows: list):
        if name.startswith("outcomes["):
            number, _, part = name[len("outcomes["):].partition("]")
            row = rows[int(number) - 1] if number.isdigit() and int(number) <= len(rows) else None
            part = {"description": "what", "": "amount"}.get(part.lstrip("."), part.lstrip("."))
            return getattr(row, part, None) if row else None
        return self._fields.get(name)


def case_study_data(fields: CaseStudyFields, version: str = "") -> dict:
    """Form data for case-study fields."""
    data = {name: getattr(fields, name) for name in (
        "title", "summary", "date", "themes", "places", "organisations", "method", "contact",
        "source_url", "evidence_level", "body")}
    data["outcomes"] = [{"amount": row.amount, "period": row.period, "what": row.description,
                         "kind": row.kind} for row in fields.outcomes]
    data["version"] = version
    return data


def place_groups(taxonomy: Taxonomy) -> list[tuple[str, list[tuple[str, str]]]]:
    """Places grouped under their region (the region first), regions in name order."""
    groups: dict[str, list] = defaultdict(list)
    for place in taxonomy.places.values():
        groups[place.region or place.slug].append(place)
    return [(region.name, [(p.slug, p.name) for p in sorted(
        groups[region.slug], key=lambda p: (p.slug != region.slug, p.name))])
        for region in taxonomy.regions()]


def organisation_groups(taxonomy: Taxonomy) -> list[tuple[str, list[tuple[str, str]]]]:
    """Organisations grouped by kind, in name order."""
    groups: dict[str, list] = defaultdict(list)
    for org in sorted(taxonomy.organisations.values(), key=lambda o: o.name):
        groups[org.kind or "other"].append((org.slug, org.name))
    return [(_kind_name(kind), rows) for kind, rows in sorted(groups.items())]


def _kind_name(kind: str) -> str:
    words = kind.replace("-", " ").capitalize()
    return "NHS" if words == "Nhs" else words


class UploadForm(FlaskForm):
    """One file to upload."""

    file = FileField("File")


class DescribingForm(TaggedForm):
    """The fields that describe an item: title, summary, date and its tags."""

    title = StringField("Title", validators=[Length(max=MAX_TITLE)])
    summary = TextAreaField("Summary", validators=[Length(max=MAX_SUMMARY)])
    date = StringField("Publication date", validators=[Length(max=100)])
    themes = Checkboxes("Themes")
    places = Checkboxes("Places")
    organisations = Checkboxes("Organisations")

    def values(self) -> dict:
        """What the editor entered, by field."""
        return {"title": self.title.data, "summary": self.summary.data, "date": self.date.data,
                "themes": list(self.themes.data or []),
                "places": list(self.places.data or []),
                "organisations": list(self.organisations.data or [])}


class CorrectionForm(DescribingForm):
    """An upload's fields and evidence level, as the editor confirms or corrects them."""

    evidence_level = SelectField("Evidence level", choices=EVIDENCE_CHOICES, default="")


STATUS_NAMES = {"published": "Published", "retired": "Retired (hidden from readers)",
                "draft": "Draft (hidden from readers)"}


class CorrectItemForm(DescribingForm):
    """The fields an editor corrects on any item no file of the hub's holds."""

    status = SelectField("Status", choices=options(STATUS_NAMES.items()))
    version = HiddenField()

    def values(self) -> dict:
        """What the editor entered, by field, with the status."""
        return {**super().values(), "status": self.status.data}
