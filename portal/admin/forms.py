from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from portal.auth.models import Role
from portal.forms import PortalForm, optional_int, placeholder

ROLE_CHOICES = [placeholder("Choose a role"), (Role.agent.value, "Agent"), (Role.manager.value, "Manager"),
                (Role.admin.value, "Admin")]


class TeamForm(PortalForm):
    name = StringField("Team name", validators=[DataRequired("Enter the team's name."), Length(max=80)])
    manager_id = SelectField("Manager", coerce=int, validators=[Optional()],
                             description="The manager who approves this team's larger remedies and sees its cases.")


class CategoryForm(PortalForm):
    name = StringField("Category name", validators=[DataRequired("Enter the category's name."), Length(max=80)])
    description = StringField(
        "Description", validators=[Length(max=200)],
        description="Shown to customers when they choose a category, for example “Kiosks, hospitality and queues”.",
    )
    team_id = SelectField("Team that owns these cases", coerce=optional_int,
                          validators=[DataRequired("Choose the team that owns these cases.")])
    first_response_hours = IntegerField(
        "First-response target (hours)",
        validators=[InputRequired("Enter the first-response target in hours."),
                    NumberRange(1, 24 * 30, "Enter a whole number of hours from 1 to 720.")],
    )
    resolution_hours = IntegerField(
        "Resolution target (hours)",
        validators=[InputRequired("Enter the resolution target in hours."),
                    NumberRange(1, 24 * 90, "Enter a whole number of hours from 1 to 2160.")],
    )
    active = BooleanField("Customers can choose this category", default=True)


class EmployeeForm(PortalForm):
    name = StringField("Full name", validators=[DataRequired("Enter the employee's full name."), Length(max=120)])
    job_title = StringField("Job title", validators=[Length(max=80)],
                            description="Customers see it, for example “Ticket Office Adviser”.")
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose a role.")])
    team_id = SelectField("Team", coerce=int, validators=[Optional()])
    authority_limit = DecimalField(
        "Authority limit (£)", places=2,
        validators=[InputRequired("Enter the authority limit, 0 or more."),
                    NumberRange(0, 1_000_000, "Enter an amount from £0 to £1,000,000.")],
        description="The most expensive remedy they may offer without a manager's approval.",
    )


class InviteForm(EmployeeForm):
    email = EmailField("E-mail address", validators=[DataRequired("Enter their work e-mail address."),
                                                     Email("Enter an e-mail address like name@example.org."),
                                                     Length(max=254)])


class OrganisationForm(PortalForm):
    name = StringField("Organisation name", validators=[DataRequired("Enter the organisation's name."),
                                                        Length(max=120)])
    logo = FileField("Logo", description="A PNG, JPEG or WebP picture up to 1 MB, shown in the header.")




class CustomerSearchForm(PortalForm):
    class Meta:
        csrf = False

    email = EmailField("Customer's e-mail address",
                       validators=[DataRequired("Enter the customer's e-mail address."), Length(max=254)])


class ErasureForm(PortalForm):
    reason = StringField(
        "Reason", validators=[DataRequired("Say why the data is being erased."), Length(max=300)],
        description="For example: “Customer's written request of 3 November 2026”.",
    )
    confirm = BooleanField("I understand that this cannot be undone",
                           validators=[DataRequired("Confirm that you understand this cannot be undone.")])


class MergeForm(PortalForm):
    other = StringField(
        "The other record", validators=[DataRequired("Say which record to merge into this one."), Length(max=254)],
        description="Its e-mail address, its external id from the club's system, or its number like #123.")
