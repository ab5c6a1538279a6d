"""The notification preferences form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from core.i18n import lazy_gettext as _l

WEEKDAYS = (
    _l("maandag"),
    _l("dinsdag"),
    _l("woensdag"),
    _l("donderdag"),
    _l("vrijdag"),
    _l("zaterdag"),
    _l("zondag"),
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreferencesForm(FlaskForm):
    digest_frequency = RadioField(
        _l("Overzicht per e-mail"),
        choices=[
            ("weekly", _l("Eén keer per week")),
            ("daily", _l("Elke dag")),
            ("never", _l("Nooit")),
        ],
        default="weekly",
    )
    digest_weekday = SelectField(
        _l("Dag (bij een wekelijks overzicht)"),
        choices=[(i, label) for i, label in enumerate(WEEKDAYS)],
        coerce=int,
        default=0,
    )
    digest_hour = SelectField(
        _l("Tijdstip"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        default=8,
    )
    email_replies = BooleanField(_l("Een reactie op mijn gesprek of bericht"))
    email_mentions = BooleanField(_l("Iemand noemt mij (@naam)"))
    email_answers = BooleanField(_l("Mijn antwoord is gekozen als beste antwoord"))
    email_event_changes = BooleanField(_l("Wijzigingen in bijeenkomsten waarvoor ik ben aangemeld"))
    email_reminders = BooleanField(_l("Herinneringen aan bijeenkomsten"))
    muted_groups = MultiCheckboxField(_l("Groepen zonder meldingen"), coerce=int, choices=[])
