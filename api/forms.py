"""The form that creates a personal access token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import DataRequired, InputRequired, Length

from api.services import LIFETIMES
from core.forms import CleanStringField
from core.i18n import lazy_gettext as _l


class TokenForm(FlaskForm):
    name = CleanStringField(
        _l("Naam"),
        validators=[DataRequired(_l("Vul dit veld in.")), Length(2, 80)],
        description=_l("Waar je de sleutel voor gebruikt, bijvoorbeeld ‘agenda op intranet’."),
    )
    scope = RadioField(
        _l("Rechten"),
        choices=[
            ("read", _l("Alleen lezen")),
            ("write", _l("Lezen en je aan- of afmelden voor bijeenkomsten")),
        ],
        default="read",
        validators=[InputRequired(_l("Maak een keuze."))],
    )
    lifetime = RadioField(
        _l("Geldig"),
        choices=[(days, _l("%(days)s dagen", days=days)) for days in LIFETIMES],
        coerce=int,
        default=90,
        validators=[InputRequired(_l("Maak een keuze."))],
    )
