"""What the portal's forms share: ids of their own on pages with several forms, and placeholder choices."""

from __future__ import annotations

from flask_wtf import FlaskForm


class PageForm(FlaskForm):
    """A form that shares its page with others: every element id it renders starts with its `Meta.id_prefix`.

    Two forms on one page with a field of the same name would otherwise both render `id="body"`, and the second
    form's label would name the first form's box (an internal note typed into a public reply). Only the ids
    change: the field names a POST carries, and so the views reading them, stay as they are.
    """

    class Meta:
        id_prefix = ""

        def bind_field(self, form, unbound_field, options):
            if self.id_prefix:
                options = {**options, "id": f"{self.id_prefix}-{options.get('prefix', '')}{options['name']}"}
            return super().bind_field(form, unbound_field, options)


def optional_int(value: str | int | None) -> int | None:
    """Coerce a select's value to an id; the placeholder option ("") is no id, so a required select says so."""
    if value is None or value == "":
        return None
    return int(value)


def placeholder(text: str) -> tuple[str, str]:
    """The first option of a required select: an empty value, as HTML asks of a placeholder."""
    return ("", text)
