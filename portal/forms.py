"""The base of every form: text carrying control characters is refused on its field before any other check, and a
form sharing its page with others renders ids of its own. Also the placeholder choice of a required select.

NUL cannot be stored in PostgreSQL text and the other controls only ever arrive pasted or forged, so they are
refused here once, for every field of every form, rather than field by field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, TextAreaField
from wtforms.widgets import TextArea

from portal.inputs import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE, LINE_BREAKS, has_control_characters


class PortalForm(FlaskForm):
    """Every form's base. A form that shares its page with others sets `Meta.id_prefix`: every element id it
    renders then starts with it. Two forms on one page with a field of the same name would otherwise both render
    `id="body"`, and the second form's label would name the first form's box (an internal note typed into a public
    reply). Only the ids change: the field names a POST carries, and so the views reading them, stay as they are."""

    class Meta:
        id_prefix = ""

        def bind_field(self, form, unbound_field, options):
            if self.id_prefix:
                options = {**options, "id": f"{self.id_prefix}-{options.get('prefix', '')}{options['name']}"}
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators: dict[str, Any] | None = None) -> bool:
        dirty = [field for field in leaf_fields(self) if carries_control_characters(field)]
        if not dirty:
            return super().validate(extra_validators)
        # Stop here: the field's own validators (some of which query the database) never see the text.
        for field in leaf_fields(self):
            field.errors = []
        for field in dirty:
            field.errors = [CONTROL_CHARACTERS_MESSAGE]
            # Shown again without the invisible characters: the person keeps their words, and the page stays valid
            # HTML (a NUL cannot be sent in a page at all).
            if isinstance(field.data, str):
                field.data = CONTROL_CHARACTERS.sub("", field.data)
        return False


def leaf_fields(form: Any) -> Iterator[Field]:
    for field in form:
        if isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from leaf_fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def carries_control_characters(field: Field) -> bool:
    """Tab and line breaks are typed text in a text area; a one-line field cannot receive a line break from a
    browser, so one there is forged (and would break an e-mail header or a CSV row)."""
    multiline = isinstance(field, TextAreaField) or isinstance(field.widget, TextArea)
    for value in field.raw_data or ():
        if isinstance(value, str) and (has_control_characters(value) or
                                       (not multiline and LINE_BREAKS.search(value))):
            return True
    return False


def optional_int(value: str | int | None) -> int | None:
    """Coerce a select's value to an id; the placeholder option ("") is no id, so a required select says so."""
    if value is None or value == "":
        return None
    return int(value)


def placeholder(text: str) -> tuple[str, str]:
    """The first option of a required select: an empty value, as HTML asks of a placeholder."""
    return ("", text)
