"""The base of every form: text carrying control characters is refused on its field before any other check.

NUL cannot be stored in PostgreSQL text and the other controls only ever arrive pasted or forged, so they are
refused here once, for every field of every form, rather than field by field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, TextAreaField
from wtforms.widgets import TextArea

from portal.inputs import CONTROL_CHARACTERS_MESSAGE, LINE_BREAKS, has_control_characters


class PortalForm(FlaskForm):
    def validate(self, extra_validators: dict[str, Any] | None = None) -> bool:
        dirty = [field for field in leaf_fields(self) if carries_control_characters(field)]
        if not dirty:
            return super().validate(extra_validators)
        # Stop here: the field's own validators (some of which query the database) never see the text.
        for field in leaf_fields(self):
            field.errors = []
        for field in dirty:
            field.errors = [CONTROL_CHARACTERS_MESSAGE]
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
