from __future__ import annotations

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.forms import PortalForm


class SignInForm(PortalForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=256)])


class ForgotPasswordForm(PortalForm):
    email = EmailField(
        "E-mail address", validators=[DataRequired("Enter your e-mail address."), Length(max=254)]
    )


class ResetPasswordForm(PortalForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password."), Length(min=12, max=256)],
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again."), EqualTo("password", "The passwords do not match.")],
    )
