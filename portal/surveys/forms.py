from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class GroupForm(FlaskForm):
    name = StringField("Group name", validators=[DataRequired("Name the group."), Length(max=120)],
                       description="For example “North Stand season-ticket holders 2026”.")
    description = TextAreaField("Who is in it and why (optional)", validators=[Optional(), Length(max=2000)])


class MemberForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the member's name."), Length(max=120)])
    email = EmailField("E-mail address", validators=[DataRequired("Enter the member's e-mail address."),
                                                     Length(max=254)])
    membership_number = StringField("Membership number (optional)", validators=[Optional(), Length(max=40)])
    member_since = DateField("Member since (optional)", validators=[Optional()], description="For example 2012-08-01")


class ImportForm(FlaskForm):
    file = FileField("CSV file", description="Columns: name, email, membership_number, member_since "
                                             "(dates like 2012-08-01). Nothing is saved until you confirm.")
