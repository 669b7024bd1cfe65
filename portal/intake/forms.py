"""The "Log a contact" form: who, how they got in touch, what happened in their words, and what was done."""

from __future__ import annotations

import re

from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from portal.cases.contacts import LOGGED_CHANNELS
from portal.forms import PortalForm, optional_int
from portal.remedies.forms import KIND_CHOICES, AmountField

NEW_CUSTOMER = "new"
DURATION_MESSAGE = "Enter the time in minutes, like 5, or minutes and seconds, like 4:30."


def seconds_of(text: str) -> int:
    """A call's time as people note it: minutes ("5"), minutes and seconds ("4:30") or "1:05:00"."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(re.fullmatch(r"\d{1,3}", part) for part in parts):
        raise ValueError(DURATION_MESSAGE)
    numbers = [int(part) for part in parts]
    if any(n > 59 for n in numbers[1:]) or (len(numbers) == 3 and numbers[0] > 24):
        raise ValueError(DURATION_MESSAGE)
    seconds = 0
    for n in numbers:
        seconds = seconds * 60 + n
    return seconds * (60 if len(numbers) == 1 else 1)


class DurationField(StringField):
    """Holds seconds (None when left empty); the box shows what was typed."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        if self.raw_text.strip():
            self.data = seconds_of(self.raw_text)

    def _value(self) -> str:
        return getattr(self, "raw_text", "") or ""


class ContactForm(PortalForm):
    class Meta:
        id_prefix = "contact"

    find = HiddenField()  # the search that listed the customers to choose from, kept for a second look
    customer = RadioField("Who is it?", validators=[DataRequired("Choose the customer, or someone new.")])
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    email = StringField("E-mail address (optional)", validators=[Optional(), Email("Enter an e-mail address like "
                                                                                    "name@example.com."),
                                                                 Length(max=254)],
                        description="Their private link and letters go here. Leave it empty if they have none.")
    phone = StringField("Phone number (optional)", validators=[Optional(), Length(max=40)])
    channel = RadioField("How did they get in touch?", choices=[(c.value, c.label) for c in LOGGED_CHANNELS],
                         default="phone", validators=[DataRequired("Choose how they got in touch.")])
    category_id = SelectField("What is it about?", coerce=optional_int,
                              validators=[DataRequired("Choose what it is about.")])
    kind = RadioField("Is it a complaint or a suggestion?",
                      choices=[("complaint", "A complaint"), ("suggestion", "A suggestion")], default="complaint")
    what_happened = TextAreaField("What happened?", validators=[DataRequired("Write down what happened."),
                                                                Length(max=5000)],
                                  description="As the customer told it: when, where, who was involved.")
    make_it_right = TextAreaField(
        "What can we do to make this right?", validators=[Optional(), Length(max=2000)],
        description="Ask them, and write down their answer in their own words. A letter may not say: leave it "
                    "empty and their receipt asks.")
    booking_reference = StringField("Booking or order reference (optional)", validators=[Optional(), Length(max=60)])
    talk_time = DurationField("Talk time (optional)", description="Minutes, like 5, or minutes and seconds, like 4:30.")
    hold_time = DurationField("Hold time (optional)", description="How long they waited before you answered.")
    owner = RadioField("Who owns the case?", default="me", choices=[
        ("me", "I do: I stay the customer's one contact"),
        ("team", "The team it belongs to: the usual rule chooses its owner"),
    ])
    handoff_note = TextAreaField("Context note for the new owner", validators=[Optional(), Length(max=2000)],
                                 description="What the customer needs and expects, and what you have tried, so "
                                             "they never have to explain again.")
    put_right = BooleanField("I put it right there and then")
    remedy_kind = SelectField("What kind of remedy?", choices=KIND_CHOICES, validators=[Optional()])
    remedy_description = TextAreaField("What you gave or did, in the customer's words",
                                       validators=[Optional(), Length(max=2000)],
                                       description="It goes in their letter.")
    remedy_cost = AmountField("Cost to us (£)", places=2, validators=[
        Optional(), NumberRange(min=0, message="The cost cannot be negative.")],
        description="Within your authority limit; above it, log the contact and propose an offer.")
