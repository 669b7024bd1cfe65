from __future__ import annotations

from decimal import Decimal

from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import PortalForm, optional_int
from portal.inputs import optional_db_int
from portal.remedies.models import KIND_LABELS

KIND_CHOICES = [("", "Choose a kind of remedy")] + [(kind.value, label) for kind, label in KIND_LABELS.items()]
COST_MESSAGE = "Enter the cost as an amount like 25 or 12.50."


class AmountField(DecimalField):
    """A money amount whose parse error says what to type."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip().startswith("£"):
            valuelist = [valuelist[0].strip()[1:]]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(COST_MESSAGE) from exc


class OptionForm(Form):
    """One row of the composer; a row left empty is simply not offered."""

    kind = SelectField("Kind", choices=KIND_CHOICES, validators=[Optional()])
    # Short labels: the composer's rows stand side by side; the hints are said once above them (compose.html).
    description = TextAreaField(
        "What we offer", validators=[Optional(), Length(max=2000)],
        description="The customer reads this on their choice page.",
    )
    when_text = TextAreaField(
        "What it means, and when", validators=[Optional(), Length(max=2000)],
        description="For example: “The money is back on your card within 5 working days.”",
    )
    cost = AmountField(
        "Cost to us (£)", places=2, validators=[Optional(), NumberRange(min=0, message="The cost cannot be negative.")],
        description="Internal: the customer never sees it.",
    )
    catalogue_entry_id = HiddenField()

    def is_blank(self) -> bool:
        return not any((self.kind.data, (self.description.data or "").strip(), (self.when_text.data or "").strip(),
                        self.cost.raw_data and self.cost.raw_data[0].strip()))


class OfferForm(PortalForm):
    options = FieldList(FormField(OptionForm), min_entries=3, max_entries=3)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        filled = 0
        for number, row in enumerate(self.options, start=1):
            form = row.form
            if form.is_blank():
                continue
            filled += 1
            for field, message in (
                (form.kind, "choose what kind of remedy it is."),
                (form.description, "describe the remedy for the customer."),
                (form.when_text, "say what it means and when it will happen."),
            ):
                if not (field.data or "").strip():
                    field.errors = [*field.errors, f"Option {number}: {message}"]
                    valid = False
            if form.cost.data is None and not form.cost.errors:
                form.cost.errors = [*form.cost.errors, f"Option {number}: {COST_MESSAGE}"]
                valid = False
        if filled < 2:
            target = next(row.form for row in self.options if row.form.is_blank())
            target.description.errors = [
                *target.description.errors,
                "An offer needs two or three options so the customer has a real choice.",
            ]
            valid = False
        # FieldList keeps the errors it saw during its own validation; refresh them with the ones added here.
        errors = [entry.errors for entry in self.options.entries]
        self.options.errors = errors if any(errors) else []
        return valid

    def drafts(self) -> list:
        from portal.remedies.offers import RemedyDraft

        return [
            RemedyDraft(
                kind=row.form.kind.data, description=row.form.description.data or "",
                when_text=row.form.when_text.data or "", cost=row.form.cost.data or Decimal("0"),
                catalogue_entry_id=optional_db_int(row.form.catalogue_entry_id.data),
            )
            for row in self.options if not row.form.is_blank()
        ]


class ApproveForm(PortalForm):
    class Meta:
        id_prefix = "approve"

    comment = TextAreaField("Comment for the owner (optional)", validators=[Optional(), Length(max=2000)])


class ReturnForm(PortalForm):
    class Meta:
        id_prefix = "return"

    return_comment = TextAreaField(
        "What should change?", validators=[DataRequired("Say what should change, so the owner can make a new offer."),
                                           Length(max=2000)],
        description="The owner sees this at the top of the case.",
    )


class FulfilForm(PortalForm):
    what_was_done = TextAreaField(
        "What was done", validators=[DataRequired("Say what was done."), Length(max=4000)],
        description="The customer reads this in their resolution letter: say what, when and how.",
    )


class CatalogueForm(PortalForm):
    category = SelectField("Category", coerce=optional_int, validators=[InputRequired("Choose a category.")])
    kind = SelectField("Kind", choices=KIND_CHOICES, validators=[DataRequired("Choose what kind of remedy it is.")])
    title = StringField("Title", validators=[DataRequired("Give the remedy a short title."), Length(max=120)],
                        description="Staff see this in the catalogue picker.")
    description = TextAreaField(
        "Default description for the customer", validators=[DataRequired("Describe the remedy."), Length(max=2000)]
    )
    when_text = TextAreaField("What it means and when it will happen", validators=[Optional(), Length(max=2000)])
    typical_cost = AmountField(
        "Typical cost (£)", places=2,
        validators=[InputRequired(COST_MESSAGE), NumberRange(min=0, message="The cost cannot be negative.")],
    )
    active = BooleanField("Offer this remedy in the composer", default=True)


class ChoiceForm(PortalForm):
    choice = RadioField("Which would you like?", validators=[DataRequired("Choose one of the options, or tell us "
                                                                          "none of them works for you.")])
    proposal = TextAreaField(
        "What would work for you instead?", validators=[Optional(), Length(max=4000)],
        description="Only if none of the options works for you.",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.choice.data == "none" and not (self.proposal.data or "").strip():
            self.proposal.errors = [*self.proposal.errors, "Tell us what would work for you instead."]
            valid = False
        return valid


class RatingForm(PortalForm):
    made_it_right = RadioField(
        "Did we make it right?", choices=[("yes", "Yes"), ("no", "No")],
        validators=[DataRequired("Tell us whether we made it right.")],
    )
    score = RadioField(
        "How would you rate how we handled it?",
        choices=[("5", "5 – very good"), ("4", "4 – good"), ("3", "3 – all right"), ("2", "2 – poor"),
                 ("1", "1 – very poor")],
        validators=[DataRequired("Choose a score from 1 to 5.")],
    )
    comment = TextAreaField("Anything you would like to add? (optional)", validators=[Optional(), Length(max=4000)])
