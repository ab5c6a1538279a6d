"""Forms for scheduling events. Times are typed as local wall-clock time."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, StringField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from core.forms import CleanStringField, CleanTextAreaField, TermSelectField
from core.i18n import lazy_gettext as _l
from core.i18n import zone_for
from events.timeparse import (
    SUMMER,
    WINTER,
    LocalTimeError,
    is_ambiguous,
    parse_local_input,
    to_utc,
)

DST_CHOICES = [
    (SUMMER, _l("Zomertijd (de eerste keer, CEST)")),
    (WINTER, _l("Wintertijd (de tweede keer, CET)")),
]

TIME_ERRORS = {
    "invalid": _l("Vul een datum en tijd in, bijvoorbeeld 2026-10-05 09:30."),
    "nonexistent": _l(
        "Dit tijdstip bestaat niet: de klok gaat die nacht van 02:00 naar 03:00 "
        "(zomertijd). Kies een ander tijdstip."
    ),
    "ambiguous": _l(
        "Dit tijdstip bestaat twee keer: de klok gaat die nacht van 03:00 terug naar "
        "02:00 (wintertijd). Kies hieronder welke je bedoelt."
    ),
}


class LocalDateTimeField(StringField):
    """An <input type=datetime-local>; the view converts it with `resolve_times`."""

    def __call__(self, **kwargs):
        kwargs.setdefault("type", "datetime-local")
        return super().__call__(**kwargs)


class EventForm(FlaskForm):
    title = CleanStringField(_l("Titel"), validators=[DataRequired(), Length(max=150)])
    event_type = TermSelectField(_l("Soort bijeenkomst"), validators=[Optional()])
    description = CleanTextAreaField(
        _l("Beschrijving"),
        validators=[Optional(), Length(max=20000)],
        description=_l("Programma, voor wie, wat je voorbereidt. Markdown mag."),
    )
    starts_at = LocalDateTimeField(_l("Begin"), validators=[DataRequired()])
    starts_at_dst = RadioField(
        _l("Welke 02:00–03:00 bedoel je bij het begin?"),
        choices=DST_CHOICES,
        validators=[Optional()],
        validate_choice=False,
    )
    ends_at = LocalDateTimeField(_l("Einde"), validators=[DataRequired()])
    ends_at_dst = RadioField(
        _l("Welke 02:00–03:00 bedoel je bij het einde?"),
        choices=DST_CHOICES,
        validators=[Optional()],
        validate_choice=False,
    )
    location = CleanStringField(
        _l("Adres"),
        validators=[Optional(), Length(max=300)],
        description=_l("Alleen zichtbaar voor aangemelde deelnemers en coördinatoren."),
    )
    online_url = CleanStringField(
        _l("Online link"),
        validators=[Optional(), URL(require_tld=False), Length(max=500)],
        description=_l("Alleen zichtbaar voor aangemelde deelnemers en coördinatoren."),
    )
    capacity = IntegerField(
        _l("Aantal plaatsen"),
        validators=[Optional(), NumberRange(min=1, max=10000)],
        description=_l("Leeg laten voor onbeperkt."),
    )
    registration_deadline = LocalDateTimeField(_l("Aanmelden kan tot"), validators=[Optional()])
    registration_deadline_dst = RadioField(
        _l("Welke 02:00–03:00 bedoel je bij de aanmelddeadline?"),
        choices=DST_CHOICES,
        validators=[Optional()],
        validate_choice=False,
    )
    requires_approval = BooleanField(_l("Aanmeldingen eerst goedkeuren"))
    accreditation_register = CleanStringField(
        _l("Accreditatie: register"),
        validators=[Optional(), Length(max=100)],
        description=_l("Bijvoorbeeld SKJ of Registerplein."),
    )
    accreditation_points = IntegerField(
        _l("Accreditatiepunten"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
    chatham_house = BooleanField(
        _l("Chatham House Rule: wat gezegd wordt mag gebruikt worden, niet wie het zei")
    )
    privacy_confirmed = BooleanField(
        _l("Ik heb gecontroleerd dat niemand in deze tekst herleidbaar is")
    )

    #: Names of the datetime fields whose value happens twice (shown with a choice).
    ambiguous: set[str]

    def resolve_times(self, zone_name: str) -> dict | None:
        """Local inputs to aware UTC; adds field errors and returns None on failure."""
        self.ambiguous = set()
        values = {}
        for name in ("starts_at", "ends_at", "registration_deadline"):
            field = self[name]
            if not field.data:
                values[name] = None
                continue
            choice = self[f"{name}_dst"].data
            try:
                naive = parse_local_input(field.data)
                if is_ambiguous(naive, zone_for(zone_name)):
                    self.ambiguous.add(name)
                values[name] = to_utc(naive, zone_name, choice)
            except LocalTimeError as exc:
                if exc.code == "ambiguous":
                    self.ambiguous.add(name)
                field.errors = [*field.errors, str(TIME_ERRORS[exc.code])]
                values[name] = None
        if any(self[name].errors for name in values):
            return None
        if values["starts_at"] and values["ends_at"] and values["ends_at"] <= values["starts_at"]:
            self.ends_at.errors = [str(_l("Het einde moet na het begin liggen."))]
            return None
        deadline = values["registration_deadline"]
        if deadline and values["starts_at"] and deadline > values["starts_at"]:
            self.registration_deadline.errors = [
                str(_l("De aanmelddeadline moet voor het begin liggen."))
            ]
            return None
        return values


class AttendanceForm(FlaskForm):
    """Only CSRF; the checked user ids come as a list `attended`."""


class CancelEventForm(FlaskForm):
    """Cancelling asks why: participants read the reason in the email and their calendar."""

    reason = CleanTextAreaField(
        _l("Reden van de annulering"),
        validators=[
            DataRequired(message=_l("Schrijf waarom de bijeenkomst niet doorgaat.")),
            Length(max=1000),
        ],
        description=_l(
            "Waarom gaat de bijeenkomst niet door? Aangemelde deelnemers lezen dit in de "
            "e-mail en in hun agenda."
        ),
    )
