from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    login = StringField(_l("NIP or e-mail"), validators=[DataRequired(message=_l("Enter your NIP or e-mail.")),
                                                        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password.")),
                                                        Length(max=200)])
    next = HiddenField()
    kept = HiddenField()  # answers posted after the session ended (services.pending.seal)


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(message=_l("Enter a password."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(message=_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])


class RoleForm(FlaskForm):
    role = HiddenField(validators=[DataRequired()])


class LogoutForm(FlaskForm):
    pass


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(message=_l("Enter your password."))])
    password = PasswordField(_l("New password"), validators=[DataRequired(message=_l("Enter a password."))])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(message=_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])
