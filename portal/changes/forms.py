from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.changes.models import ChangeStatus
from portal.forms import PortalForm, optional_int


class ThemeForm(PortalForm):
    title = StringField("Theme", validators=[DataRequired("Give the theme a short title."), Length(max=120)],
                        description="In customers' words, like “Queues at the north gate”.")
    description = TextAreaField("What it covers (optional)", validators=[Optional(), Length(max=2000)])
    category_id = SelectField("Category (optional)", coerce=int, validators=[Optional()])


class QuoteForm(PortalForm):
    case_id = SelectField("From the case", coerce=optional_int, validators=[DataRequired("Choose the case to quote.")])
    text = TextAreaField("Words to quote", validators=[DataRequired("Enter the words to quote."), Length(max=600)],
                         description="Their words, without their name or anything that identifies them.")
    customer_agreed = BooleanField("The customer agreed to be quoted (without their name)",
                                   description="Only quotes with the customer's agreement are ever shown publicly.")


class ChangeForm(PortalForm):
    title = StringField("Title", validators=[DataRequired("Give the change a title."), Length(max=140)],
                        description="What changed, like “Two more tills at the north stand kiosk”.")
    you_said = TextAreaField("You said", validators=[DataRequired("Summarise what customers told us."),
                                                     Length(max=3000)])
    we_did = TextAreaField("We did", validators=[DataRequired("Say what changed, and when."), Length(max=3000)])
    whats_next = TextAreaField("What's next (optional)", validators=[Optional(), Length(max=2000)])
    status = RadioField("Status", choices=[(s.value, s.label) for s in ChangeStatus], default="planned",
                        validators=[DataRequired("Choose the status.")])
    started_on = DateField("Started on (optional)", validators=[Optional()], description="For example 2026-09-01")
    done_on = DateField("Done on (optional)", validators=[Optional()], description="For example 2026-10-15")
    cover = FileField("Cover picture (optional)", description="A JPEG, PNG or WebP up to 3 MB.")
    cover_alt = StringField("Describe the picture", validators=[Optional(), Length(max=200)],
                            description="For people who cannot see it, like “The new tills with short queues”.")


class FeedbackForm(PortalForm):
    class Meta:
        # An anonymous, rate-limited, once-per-browser vote: nothing for a forged request to abuse, and without a
        # per-visitor token the change page can be cached for everyone.
        csrf = False

    helped = RadioField("Did it help you?", choices=[("yes", "Yes, it helped"), ("no", "No, not for me")],
                        validators=[DataRequired("Choose yes or no.")])
    comment = TextAreaField("Anything to add? (optional)", validators=[Optional(), Length(max=1000)],
                            description="Please do not include your name or contact details.")
