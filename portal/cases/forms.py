"""The customer's forms: filing, replying, finding their cases, and the optional account."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.forms import PortalForm, optional_int

EMAIL_MESSAGE = "Enter an e-mail address in the right format, like name@example.com."


class FilingForm(PortalForm):
    name = StringField("Your name", validators=[DataRequired("Enter your name."), Length(max=120)])
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Email(EMAIL_MESSAGE),
                                      Length(max=254)],
        description="We send your private link to your case here.",
    )
    phone = StringField("Phone number (optional)", validators=[Optional(), Length(max=40)])
    booking_reference = StringField(
        "Booking or order reference (optional)", validators=[Optional(), Length(max=60)],
        description="For example, your ticket or season-ticket number.",
    )
    category_id = SelectField("What is it about?", coerce=optional_int,
                              validators=[DataRequired("Choose what your feedback is about.")])
    what_happened = TextAreaField(
        "What happened?", validators=[DataRequired("Tell us what happened."), Length(max=5000)],
        description="When and where it was, and who was involved if you know.",
    )
    make_it_right = TextAreaField(
        "What can we do to make this right?",
        validators=[DataRequired("Tell us what we can do to make this right."), Length(max=2000)],
        description="In your own words. The person who owns your case will start from this.",
    )
    better_in_future = TextAreaField(
        "What could we do in the future to serve you better? (optional)", validators=[Optional(), Length(max=2000)],
    )
    preferred_contact = RadioField(
        "How should we contact you?", choices=[("email", "By e-mail"), ("phone", "By phone")], default="email",
        validators=[DataRequired("Choose how we should contact you.")],
    )
    consent_to_contact = BooleanField(
        "Tell me about changes this feedback leads to",
        description="We publish what we change because of feedback, and can e-mail you when it concerns yours.",
    )
    attachments = MultipleFileField(
        "Pictures or documents (optional)",
        description="Up to 3 files, 5 MB each: photos (JPEG, PNG, GIF, WebP, HEIC) or PDFs.",
    )
    # A field people never see; bots fill every field they find.
    website = StringField("Leave this field empty", validators=[Optional(), Length(max=200)])

    def validate_phone(self, field: StringField) -> None:
        if sum(ch.isdigit() for ch in field.data or "") < 7:
            raise ValidationError("Enter a phone number with at least 7 digits, like 07700 900 982.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # An empty optional field skips its own validators, so "phone needs a number" is checked here.
        if self.preferred_contact.data == "phone" and not (self.phone.data or "").strip():
            self.phone.errors = [*self.phone.errors, "Enter a phone number, or choose to be contacted by e-mail."]
            return False
        return valid


class SuggestionForm(FilingForm):
    what_happened = TextAreaField(
        "What is your suggestion?", validators=[DataRequired("Tell us your suggestion."), Length(max=5000)],
        description="What would you like us to do differently, and why?",
    )
    make_it_right = None  # a suggestion asks for no remedy


class ReplyForm(PortalForm):
    class Meta:
        id_prefix = "reply"

    body = TextAreaField("Your reply", validators=[Length(max=5000)])
    attachments = MultipleFileField(
        "Add pictures or documents (optional)", description="Up to 3 files, 5 MB each: photos or PDFs.",
    )


class WithdrawForm(PortalForm):
    class Meta:
        id_prefix = "withdraw"

    reason = TextAreaField("Why are you withdrawing it? (optional)", validators=[Optional(), Length(max=1000)])


class FindCasesForm(PortalForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter the e-mail address you used."), Email(EMAIL_MESSAGE),
                                      Length(max=254)],
        description="The address you gave when you told us.",
    )


class CustomerSignInForm(PortalForm):
    email = EmailField("E-mail address", validators=[DataRequired("Enter your e-mail address."),
                                                     Email(EMAIL_MESSAGE), Length(max=254)])
    password = PasswordField("Password (if you set one)", validators=[Optional(), Length(max=256)])


class CustomerPasswordForm(PortalForm):
    password = PasswordField("New password", validators=[DataRequired("Enter a password."), Length(min=12, max=256)],
                             description="At least 12 characters.")
    confirm = PasswordField("Confirm password", validators=[DataRequired("Enter the password again."),
                                                            EqualTo("password", "The passwords do not match.")])
