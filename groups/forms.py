"""Forms for creating groups and managing their members."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from core.forms import CleanStringField, CleanTextAreaField, TermSelectField, fill_terms
from core.i18n import lazy_gettext as _l

KIND_CHOICES = [
    ("thematic", _l("Thematisch")),
    ("regional", _l("Regionaal")),
    ("intervision", _l("Intervisie")),
]
VISIBILITY_CHOICES = [
    ("members", _l("Open: elk lid kan meelezen en met één klik lid worden")),
    ("closed", _l("Besloten: zichtbaar in de lijst, lid worden op verzoek")),
    ("secret", _l("Geheim: alleen zichtbaar voor leden, alleen op uitnodiging")),
]


class GroupForm(FlaskForm):
    name = CleanStringField(
        _l("Naam"),
        validators=[DataRequired(_l("Vul een naam in.")), Length(min=3, max=150)],
    )
    name_en = CleanStringField(
        _l("Naam in het Engels"),
        validators=[Optional(), Length(max=150)],
        description=_l("Optioneel: getoond aan leden die het platform in het Engels gebruiken."),
    )
    slug = CleanStringField(
        _l("Webadres"),
        validators=[
            Optional(),
            Length(min=3, max=80),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Alleen kleine letters, cijfers en streepjes."),
            ),
        ],
        description=_l("Het laatste deel van /groups/…; leeg laten om het uit de naam te maken."),
    )
    description = CleanTextAreaField(
        _l("Beschrijving"),
        validators=[DataRequired(_l("Beschrijf waar de groep over gaat.")), Length(max=2000)],
    )
    kind = SelectField(_l("Soort groep"), choices=KIND_CHOICES, default="thematic")
    visibility = RadioField(
        _l("Wie kan de groep zien?"), choices=VISIBILITY_CHOICES, default="members"
    )
    region = TermSelectField(_l("Regio"), description=_l("Alleen voor regionale groepen."))

    def fill_choices(self) -> None:
        from core.taxonomy import Region

        fill_terms(self.region, Region)


class InviteForm(FlaskForm):
    member = CleanStringField(
        _l("E-mailadres of lidnummer"),
        validators=[DataRequired(_l("Vul een e-mailadres of lidnummer in.")), Length(max=320)],
        description=_l(
            "Het lid krijgt een e-mail met de uitnodiging. Het lidnummer staat in het webadres van de ledenpagina (/members/…)."
        ),
    )
