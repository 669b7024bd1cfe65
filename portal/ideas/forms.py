from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.models import Employee
from portal.forms import PortalForm, placeholder
from portal.ideas.models import IdeaKind, IdeaStatus


class IdeaForm(PortalForm):
    kind = RadioField(
        "What are you telling us?",
        choices=[(IdeaKind.idea.value, "An idea to make the service better"),
                 (IdeaKind.blocker.value, "Something stopping us from giving good service")],
        default=IdeaKind.idea.value,
        validators=[DataRequired("Choose whether this is an idea or something stopping us.")],
    )
    title = StringField(
        "Title", validators=[DataRequired("Give your idea a short title."), Length(max=120)],
        description="A few words colleagues will recognise, such as “Hand scanners at the turnstiles”.",
    )
    body = TextAreaField(
        "Tell us more", validators=[DataRequired("Describe the idea or what is stopping us."), Length(max=4000)],
        description="What happens now, what gets in the way, and what would help.",
    )
    category_id = SelectField("Area it affects", coerce=int, validators=[Optional()])
    question_id = HiddenField()  # the manager's question it answers, if any


class CommentForm(PortalForm):
    class Meta:
        id_prefix = "comment"

    body = TextAreaField("Add a comment", validators=[DataRequired("Write a comment first."), Length(max=2000)])


class StatusForm(PortalForm):
    class Meta:
        id_prefix = "status"

    status = SelectField(
        "Status",
        choices=[placeholder("Choose a status")]
        + [(s.value, s.label) for s in IdeaStatus if s is not IdeaStatus.task_force],
        validators=[DataRequired()],
    )
    reason = TextAreaField(
        "Reason", validators=[Length(max=2000)],
        description="Needed for “Not now”. The colleague who raised the idea sees it.",
    )


class TaskForceEditForm(PortalForm):
    """What a task force is: changed while it works (its ideas stay the ones it was formed around)."""

    name = StringField("Name", validators=[DataRequired("Name the task force."), Length(max=120)])
    goal = TextAreaField(
        "Goal", validators=[DataRequired("Say what the task force should achieve."), Length(max=2000)],
        description="What success looks like, in a sentence or two.",
    )
    # A date box shows the date in the browser's own format, so the hint claims none.
    due_on = DateField(
        "Due date", validators=[DataRequired("Enter the date the task force is due to finish.")],
        description="The day the task force should have finished its work.",
    )
    members = SelectMultipleField(
        "Members", coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one colleague.")],
    )


class TaskForceForm(TaskForceEditForm):
    ideas = SelectMultipleField(
        "Ideas it works on", coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one idea.")],
    )
    figure = SelectField("The figure it should move", validators=[Optional()],
                         description="One of the dashboard's figures: its page then shows it week by week.")
    team_id = SelectField("For the team", coerce=int, validators=[Optional()])
    started_on = DateField("Starts on", validators=[Optional()], description="Today, unless you say otherwise.")
    question_id = HiddenField()  # the manager's question it grew from, if any


class QuestionForm(PortalForm):
    text = StringField(
        "Your question", validators=[DataRequired("Write the question you want to ask."), Length(max=300)],
        description="For example “What is stopping us from answering within 24 hours?”",
    )
    detail = TextAreaField("More about it (optional)", validators=[Optional(), Length(max=2000)],
                           description="Why you are asking now, and what you already know.")
    teams = SelectMultipleField(
        "Teams to ask", coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired("Choose at least one team to ask.")],
    )
    figure = SelectField("The figure it is about", validators=[Optional()],
                         description="One of the dashboard's figures, so answers and any task force aim at it.")
    closes_on = DateField("Closing date", validators=[DataRequired("Enter the last day answers are taken.")],
                          description="The last day answers are taken.")


class CloseTaskForceForm(PortalForm):
    outcome = TextAreaField(
        "What changed", validators=[DataRequired("Say what changed because of this task force."), Length(max=4000)],
        description="What is different now for fans and colleagues, even if it is “nothing yet”.",
    )
    reason = TextAreaField(
        "Why close it now", validators=[DataRequired("Say why the task force is closing now."), Length(max=2000)],
        description="For example: the goal is met, or it is no longer needed.",
    )


def name_and_team(employee: Employee) -> str:
    """How a colleague is named in a task force: colleagues know each other by name and team, not job title."""
    return f"{employee.name}, {employee.team.name}" if employee.team else employee.name


class MeetingNoteForm(PortalForm):
    class Meta:
        id_prefix = "meeting"

    met_on = DateField("Day of the meeting", validators=[DataRequired("Enter the day the task force met.")])
    body = TextAreaField("What was found or agreed",
                         validators=[DataRequired("Write what the meeting found or agreed."), Length(max=4000)])
