"""Case forms: the customer's (filing, replying, finding their cases, the optional account) and the staff
workspace's (reply, note, draft, status, helper, handoff, customer note, deactivation, reply templates)."""

from __future__ import annotations

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.cases.ownership import HANDOFF_REASONS
from portal.cases.profiles import NOTE_KINDS
from portal.cases.replies import MANUAL_STATUSES
from portal.cases.reply_templates import BODY_MAX, TITLE_MAX
from portal.forms import PortalForm, optional_int, placeholder

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


class MakeItRightForm(PortalForm):
    """The customer's answer, given on their case page when they first wrote by e-mail or letter."""

    class Meta:
        id_prefix = "remedy_wish"

    make_it_right = TextAreaField(
        "What can we do to make this right?",
        validators=[DataRequired("Tell us what we can do to make this right."), Length(max=2000)],
        description="In your own words. The person who owns your case will start from this.",
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


# --- The staff workspace -------------------------------------------------------------------------------------

class StaffReplyForm(PortalForm):
    class Meta:
        id_prefix = "reply"

    body = TextAreaField("Reply to the customer", validators=[DataRequired("Write the reply first."),
                                                              Length(max=5000)],
                         description="The customer sees this and gets it by e-mail.")
    seen_event_id = HiddenField()


class NoteForm(PortalForm):
    class Meta:
        id_prefix = "note"

    body = TextAreaField("Internal note", validators=[DataRequired("Write the note first."), Length(max=5000)],
                         description="Only colleagues see notes.")


class DraftForm(PortalForm):
    class Meta:
        id_prefix = "draft"

    body = TextAreaField("Draft a reply for the owner", validators=[DataRequired("Write the draft first."),
                                                                    Length(max=5000)],
                         description="The owner reads it, changes it if needed, and sends it.")


class SendDraftForm(PortalForm):
    draft_id = HiddenField(validators=[DataRequired()])
    seen_event_id = HiddenField()


class StatusForm(PortalForm):
    class Meta:
        id_prefix = "status"

    status = SelectField("New status", choices=[placeholder("Choose the new status")]
                         + [(s.value, label) for s, (label, _action) in MANUAL_STATUSES.items()],
                         validators=[DataRequired("Choose the new status.")])
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason for the change."), Length(max=500)],
                           description="It goes on the case's timeline.")


class HelperForm(PortalForm):
    class Meta:
        id_prefix = "helper"

    helper_id = SelectField("Colleague", coerce=optional_int, validators=[DataRequired("Choose a colleague.")])


class HandoffForm(PortalForm):
    class Meta:
        id_prefix = "handoff"

    new_owner = SelectField("New owner", coerce=optional_int, validators=[DataRequired("Choose the new owner.")])
    reason = RadioField("Why is it moving?", choices=list(HANDOFF_REASONS.items()),
                        validators=[DataRequired("Choose why the case is moving.")])
    note = TextAreaField(
        "Context note for the new owner",
        validators=[DataRequired("Write a context note for the new owner."), Length(max=3000)],
        description="What the customer needs and expects, and what has been tried. The new owner reads this first.",
    )


class CustomerNoteForm(PortalForm):
    kind = SelectField("Kind", choices=[placeholder("Choose a kind"), *NOTE_KINDS.items()],
                       validators=[DataRequired("Choose the kind of note.")])
    body = TextAreaField("Note", validators=[DataRequired("Write the note first."), Length(max=1000)],
                         description="For example “prefers a call after 6pm” or “season ticket in block C”.")


class DeactivateForm(PortalForm):
    new_owner = SelectField("Who takes their open cases?", coerce=optional_int,
                            validators=[DataRequired("Choose who takes the open cases.")])
    note = TextAreaField(
        "One note for all the cases", validators=[Optional(), Length(max=3000)],
        description="Read first by the new owner on every case: why they are moving and anything to watch for.",
    )


class CustomerImportForm(PortalForm):
    class Meta:
        id_prefix = "import"

    file = FileField("CSV file", description="The customers exported from the ticketing system or CRM, with the "
                                             "column names on the first line. Nothing is saved until you confirm.")


class ReplyTemplateForm(PortalForm):
    """A reply template's page; ``team`` (whose it is) only on a new one, for those who keep a team's."""

    title = StringField("Title", validators=[DataRequired("Give the template a title, so you can find it in the "
                                                          "picker."), Length(max=TITLE_MAX)],
                        description="What you look for in the picker, like “Refund on its way”.")
    body = TextAreaField("Text of the reply", validators=[DataRequired("Write the text of the reply."),
                                                          Length(max=BODY_MAX)])
    team = RadioField("Who uses it?", coerce=optional_int, validate_choice=True)


class ConfirmForm(PortalForm):
    """A confirm step: only the CSRF token."""
