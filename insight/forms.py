"""Forms of the insight feature."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired, Length

from core.forms import CleanStringField
from core.i18n import lazy_gettext as _l
from insight.models import NOTE_MAX


class SignalForm(FlaskForm):
    note = CleanStringField(
        _l("Toelichting in één zin"),
        validators=[
            DataRequired(_l("Schrijf in één zin waarom dit een signaal uit je regio is.")),
            Length(max=NOTE_MAX, message=_l("Maximaal %(max)d tekens.")),
        ],
        description=_l(
            "Wat zie je in je regio? Coördinatoren van je regio lezen deze zin; op de "
            "inzichtpagina's telt alleen het aantal signalen per thema. Noem geen namen of "
            "andere gegevens van een jongere."
        ),
    )
    privacy_checked = BooleanField(_l("Ik heb gecontroleerd dat dit niet herleidbaar is"))


class SubscriptionForm(FlaskForm):
    """Opt in to or out of the quarterly email (the button says which)."""
