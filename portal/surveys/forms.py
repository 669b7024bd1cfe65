from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.forms import PortalForm
from portal.surveys.models import QuestionKind


class GroupForm(PortalForm):
    name = StringField("Group name", validators=[DataRequired("Name the group."), Length(max=120)],
                       description="For example “North Stand season-ticket holders 2026”.")
    description = TextAreaField("Who is in it and why (optional)", validators=[Optional(), Length(max=2000)])


class MemberForm(PortalForm):
    class Meta:
        id_prefix = "member"

    name = StringField("Name", validators=[DataRequired("Enter the member's name."), Length(max=120)])
    email = EmailField("E-mail address", validators=[DataRequired("Enter the member's e-mail address."),
                                                     Length(max=254)])
    membership_number = StringField("Membership number (optional)", validators=[Optional(), Length(max=40)])
    member_since = DateField("Member since (optional)", validators=[Optional()], description="For example 2012-08-01")


class ImportForm(PortalForm):
    class Meta:
        id_prefix = "import"

    file = FileField("CSV file", description="Columns: name, email, membership_number, member_since "
                                             "(dates like 2012-08-01). Nothing is saved until you confirm.")


class SurveyForm(PortalForm):
    class Meta:
        id_prefix = "details"

    title = StringField("Title", validators=[DataRequired("Give the survey a title."), Length(max=160)],
                        description="For example “Match-day travel: your guidance for 2027”.")
    group_id = SelectField("Focus group to invite", coerce=int, validators=[Optional()])
    briefing = TextAreaField(
        "Briefing: our goals and challenges", validators=[Optional(), Length(max=20000)],
        description="Shown before the questions. Blank lines separate paragraphs; ## starts a heading, "
                    "- starts a bullet, **bold**, [link text](https://…).")
    reminder_days = IntegerField("Days between reminders", default=3,
                                 validators=[InputRequired("Enter the days between reminders."),
                                             NumberRange(1, 60, "Choose between 1 and 60 days.")])


class SectionForm(PortalForm):
    class Meta:
        id_prefix = "page"

    title = StringField("Page title", validators=[DataRequired("Give the page a title."), Length(max=160)])
    intro = TextAreaField("Introduction (optional)", validators=[Optional(), Length(max=2000)])


class NewQuestionForm(PortalForm):
    class Meta:
        id_prefix = "new-question"
        csrf = False  # a GET form that only chooses what the next page asks

    kind = RadioField("What kind of question?", choices=[(k.value, k.label) for k in QuestionKind],
                      validators=[InputRequired("Choose the kind of question.")])
    section_id = SelectField("On which page?", coerce=int)


class QuestionForm(PortalForm):
    prompt = StringField("Question", validators=[DataRequired("Write the question."), Length(max=300)])
    hint = TextAreaField("Hint (optional)", validators=[Optional(), Length(max=1000)],
                         description="Shown under the question, for example what “the concourse” means.")
    required = BooleanField("An answer is required")
    options = TextAreaField("Options, one per line", validators=[Optional(), Length(max=8000)])
    scale_max = RadioField("Scale", choices=[("5", "1 to 5"), ("10", "0 to 10")], default="5")
    low_label = StringField("Label for the lowest point", validators=[Optional(), Length(max=60)],
                            description="For example “Very poor”.")
    high_label = StringField("Label for the highest point", validators=[Optional(), Length(max=60)],
                             description="For example “Excellent”.")
    min_choices = IntegerField("Least choices (optional)", validators=[Optional()])
    max_choices = IntegerField("Most choices (optional)", validators=[Optional()])
    long_text = BooleanField("Long answer (a paragraph or more, up to 2,000 characters)")
    section_id = SelectField("Page", coerce=int)
    show_if = SelectField("Show this question only when (optional)", validators=[Optional()], validate_choice=False)


class ThemeFromAnswerForm(PortalForm):
    title = StringField("Theme title", validators=[DataRequired("Give the theme a short title."), Length(max=120)],
                        description="In members' words, like “Queues at the north gate”.")
