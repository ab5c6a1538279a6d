"""Forms for reporting and moderating. Dutch labels; the views never trust choices."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import CleanTextAreaField
from core.i18n import lazy_gettext as _l
from moderation.models import REPORT_REASON_LABELS, REPORT_REASONS

REQUIRED = _l("Vul dit veld in.")
REASON_REQUIRED = _l("Geef een reden op. Het lid krijgt deze te zien.")


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Waarom meld je dit bericht?"),
        choices=[(key, REPORT_REASON_LABELS[key]) for key in REPORT_REASONS],
        validators=[DataRequired(_l("Kies een reden."))],
    )
    note = CleanTextAreaField(
        _l("Toelichting (optioneel)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Alleen moderatoren lezen dit."),
    )


class ReasonForm(FlaskForm):
    """An action whose reason the member is told."""

    reason = CleanTextAreaField(
        _l("Reden"), validators=[DataRequired(REASON_REQUIRED), Length(max=2000)]
    )


class OptionalReasonForm(FlaskForm):
    reason = CleanTextAreaField(_l("Reden (optioneel)"), validators=[Optional(), Length(max=2000)])


class RedactForm(FlaskForm):
    remove_text = CleanTextAreaField(
        _l("Tekst die weg moet"),
        validators=[Optional(), Length(max=5000)],
        description=_l(
            "Precies zoals in het bericht. Deze tekst verdwijnt ook uit alle eerdere versies."
        ),
    )
    replacement = CleanTextAreaField(
        _l("Of: nieuwe tekst voor het hele bericht"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Eerdere versies van het bericht worden dan helemaal gewist."),
    )
    reason = CleanTextAreaField(
        _l("Reden"), validators=[DataRequired(REASON_REQUIRED), Length(max=2000)]
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.remove_text.data or "").strip() and not (self.replacement.data or "").strip():
            self.remove_text.errors.append(_l("Geef de tekst die weg moet, of een nieuwe tekst."))
            return False
        return True


class SuspendForm(FlaskForm):
    reason = CleanTextAreaField(
        _l("Reden van de schorsing"),
        validators=[DataRequired(REASON_REQUIRED), Length(max=2000)],
        description=_l("Het lid ziet deze reden bij het inloggen."),
    )
    until = DateField(
        _l("Geschorst tot en met (optioneel)"),
        validators=[Optional()],
        description=_l("Leeg laten voor een schorsing zonder einddatum."),
    )


class ResolveForm(FlaskForm):
    decision = SelectField(
        _l("Besluit"),
        choices=[("resolved", _l("Afgehandeld")), ("dismissed", _l("Afwijzen: geen actie nodig"))],
    )
    note = CleanTextAreaField(_l("Notitie (optioneel)"), validators=[Optional(), Length(max=2000)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Actie"), choices=[], validate_choice=False)
    actor = SelectField(_l("Door"), choices=[], validate_choice=False)
    date_from = DateField(_l("Vanaf"), validators=[Optional()])
    date_to = DateField(_l("Tot en met"), validators=[Optional()])


class AppealForm(FlaskForm):
    statement = CleanTextAreaField(
        _l("Waarom ben je het niet eens met dit besluit?"),
        validators=[
            DataRequired(_l("Schrijf waarom je het niet eens bent met het besluit.")),
            Length(max=5000),
        ],
        description=_l("Een andere moderator leest dit en bekijkt het besluit opnieuw."),
    )


class AppealDecisionForm(FlaskForm):
    outcome = RadioField(
        _l("Besluit over het bezwaar"),
        choices=[
            ("upheld", _l("Afwijzen: het besluit blijft staan")),
            ("reversed", _l("Toekennen: het besluit terugdraaien")),
        ],
        validators=[DataRequired(_l("Kies een besluit."))],
    )
    note = CleanTextAreaField(
        _l("Toelichting voor het lid"),
        validators=[
            DataRequired(_l("Geef een toelichting. Het lid krijgt deze te zien.")),
            Length(max=2000),
        ],
    )
