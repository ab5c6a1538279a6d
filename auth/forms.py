"""Account forms."""

from __future__ import annotations

from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, ValidationError
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from auth.passwords import password_problems
from core.forms import CleanStringField, CleanTextAreaField, TermSelectField, fill_terms
from core.i18n import lazy_gettext as _l
from core.taxonomy import Function, Region, Sector

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English")]
REQUIRED = _l("Vul dit veld in.")
CHOOSE = _l("Maak een keuze.")


def email_check(form, field):
    try:
        result = validate_email(field.data or "", check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(_l("Vul een geldig e-mailadres in.")) from exc
    field.data = result.normalized


class EmailField(CleanStringField):
    pass


class _ProfileFields(FlaskForm):
    display_name = CleanStringField(
        _l("Naam"),
        validators=[DataRequired(REQUIRED), Length(2, 120)],
        description=_l("Je echte voor- en achternaam. Andere leden zien deze naam."),
    )
    organisation = CleanStringField(
        _l("Organisatie"), validators=[DataRequired(REQUIRED), Length(2, 200)]
    )
    sector = TermSelectField(_l("Sector"), validators=[NumberRange(min=1, message=CHOOSE)])
    function = TermSelectField(_l("Functie"), validators=[NumberRange(min=1, message=CHOOSE)])
    region = TermSelectField(
        _l("Regio"),
        validators=[NumberRange(min=1, message=CHOOSE)],
        description=_l("De veiligheidsregio waar je vooral werkt."),
    )

    def fill_choices(self) -> None:
        fill_terms(self.sector, Sector)
        fill_terms(self.function, Function)
        fill_terms(self.region, Region)


class RegisterForm(_ProfileFields):
    email = EmailField(
        _l("E-mailadres"),
        validators=[DataRequired(REQUIRED), Length(max=320), email_check],
        description=_l("Gebruik bij voorkeur het adres van je werk."),
    )
    password = PasswordField(
        _l("Wachtwoord"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        description=_l("Minstens 12 tekens. Een zin van een paar woorden werkt goed."),
    )
    password_confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
        ],
    )
    digest_opt_in = BooleanField(
        _l("Stuur mij elke week een e-mail met nieuws uit mijn groepen en regio"),
        default=False,
    )
    accept_terms = BooleanField(
        _l(
            "Ik werk met jongeren of aan beleid voor jongeren, en ik houd mij aan de huisregels: ik noem nooit gegevens waarmee een jongere te herkennen is"
        ),
        validators=[InputRequired(_l("Je moet akkoord gaan om je aan te melden."))],
    )

    def validate_password(self, field):
        problems = password_problems(
            field.data or "", email=self.email.data or "", name=self.display_name.data or ""
        )
        if problems:
            raise ValidationError(" ".join(problems))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(REQUIRED), Length(max=320)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))


class SecondFactorForm(FlaskForm):
    code = CleanStringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        description=_l("De code van 6 cijfers uit je app, of een van je herstelcodes."),
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres"), validators=[DataRequired(REQUIRED), Length(max=320), email_check]
    )


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )
    password_confirm = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("De wachtwoorden zijn niet gelijk.")),
        ],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_password(self, field):
        user = self._user
        problems = password_problems(
            field.data or "",
            email=(user.email or "") if user else "",
            name=user.display_name if user else "",
        )
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )


def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return [(z, z.replace("_", " ")) for z in zones]


class ProfileForm(_ProfileFields):
    bio = CleanTextAreaField(
        _l("Over mij"),
        validators=[Length(max=1000)],
        description=_l(
            "Kort: je werk en waar collega's je voor kunnen benaderen. Maximaal 1000 tekens."
        ),
    )
    language = SelectField(_l("Taal"), choices=LANGUAGE_CHOICES)
    timezone = SelectField(_l("Tijdzone"), choices=[])
    show_organisation = BooleanField(_l("Toon mijn organisatie aan andere leden"))
    show_region = BooleanField(_l("Toon mijn regio aan andere leden"))

    def fill_choices(self) -> None:
        super().fill_choices()
        self.timezone.choices = timezone_choices()


class EnableTwoFactorForm(FlaskForm):
    code = CleanStringField(
        _l("Code uit de app"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        description=_l(
            "Scan de QR-code met een authenticator-app en vul de code van 6 cijfers in."
        ),
    )


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Je wachtwoord"), validators=[DataRequired(REQUIRED), Length(max=200)]
    )


class RejectForm(FlaskForm):
    reason = CleanTextAreaField(
        _l("Reden (de aanvrager krijgt deze te zien)"),
        validators=[DataRequired(REQUIRED), Length(max=1000)],
    )


class DomainForm(FlaskForm):
    domain = CleanStringField(
        _l("E-maildomein"),
        validators=[DataRequired(REQUIRED), Length(3, 255)],
        description=_l(
            "Bijvoorbeeld: gemeente.nl. Adressen op dit domein worden na bevestiging automatisch goedgekeurd."
        ),
    )

    def validate_domain(self, field):
        value = (field.data or "").strip().lower().lstrip("@")
        if "." not in value or " " in value or "@" in value:
            raise ValidationError(_l("Vul alleen het domein in, zoals gemeente.nl."))
        field.data = value
