from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.cases.ownership import HANDOFF_REASONS
from portal.cases.profiles import NOTE_KINDS
from portal.cases.replies import MANUAL_STATUSES
from portal.forms import PortalForm, optional_int, placeholder


class ReplyForm(PortalForm):
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
                         + [(s.value, label) for s, label in MANUAL_STATUSES.items()],
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
