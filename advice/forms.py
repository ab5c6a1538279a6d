"""Forms of the advice desk."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import CleanStringField, TermSelectField, fill_terms
from core.i18n import lazy_gettext as _l
from core.taxonomy import Region, Sector, Tag, terms
from forum.forms import CASE_TEMPLATE, PrivacyCheckMixin, body_field

__all__ = ["CASE_TEMPLATE"]

SUBJECT_MIN, SUBJECT_MAX = 5, 150

URGENCY_CHOICES = [
    ("normaal", _l("Normaal: binnen twee werkdagen een eerste antwoord")),
    ("spoed", _l("Spoed: liefst vandaag of morgen")),
    ("acuut", _l("Acuut: er is nu gevaar")),
]
KIND_CHOICES = [
    ("adviseur", _l("Een adviseur van het platform")),
    ("sparringpartner", _l("Een sparringpartner: een ervaren collega uit de pool")),
]
OUTCOME_CHOICES = [
    ("beantwoord", _l("Beantwoord")),
    ("doorverwezen", _l("Doorverwezen")),
    ("geen_reactie", _l("Geen reactie meer")),
    ("anders", _l("Anders")),
]
AVAILABILITY_CHOICES = [
    ("wekelijks", _l("Elke week")),
    ("maandelijks", _l("Een paar keer per maand")),
    ("af_en_toe", _l("Af en toe")),
]


class AskForm(PrivacyCheckMixin, FlaskForm):
    subject = CleanStringField(
        _l("Onderwerp"),
        validators=[
            DataRequired(_l("Geef je vraag een onderwerp.")),
            Length(
                min=SUBJECT_MIN,
                max=SUBJECT_MAX,
                message=_l("Een onderwerp heeft %(min)d tot %(max)d tekens."),
            ),
        ],
    )
    body = body_field(_l("De situatie en je vraag"))
    urgency = RadioField(
        _l("Hoe dringend is het?"),
        choices=URGENCY_CHOICES,
        default="normaal",
        validators=[DataRequired(_l("Kies hoe dringend het is."))],
    )
    kind = RadioField(
        _l("Wie wil je spreken?"),
        choices=KIND_CHOICES,
        default="adviseur",
        validators=[DataRequired(_l("Kies een adviseur of een sparringpartner."))],
    )
    theme = TermSelectField(_l("Thema"))
    sector = TermSelectField(_l("Je sector"))
    region = TermSelectField(_l("Je regio"))

    def fill_choices(self) -> None:
        fill_terms(self.theme, Tag)
        fill_terms(self.sector, Sector)
        fill_terms(self.region, Region)


class MessageForm(PrivacyCheckMixin, FlaskForm):
    body = body_field(_l("Je bericht"))
    internal = BooleanField(_l("Interne notitie (alleen voor adviseurs)"))


class CloseForm(FlaskForm):
    outcome = RadioField(
        _l("Uitkomst"),
        choices=OUTCOME_CHOICES,
        default="beantwoord",
        validators=[DataRequired(_l("Kies een uitkomst."))],
    )
    faq_consent = BooleanField(
        _l("Mijn vraag mag, zonder herkenbare gegevens, een veelgestelde vraag worden")
    )


class HandOverForm(FlaskForm):
    adviser_id = SelectField(_l("Draag over aan"), coerce=int, validate_choice=True)


class RateForm(FlaskForm):
    rating = RadioField(
        _l("Heeft dit je geholpen?"),
        choices=[("helped", _l("Ja, dit hielp")), ("not_helped", _l("Nee, dit hielp niet"))],
        validators=[DataRequired()],
    )


class ConsentForm(FlaskForm):
    consent = BooleanField(
        _l("Mijn vraag mag, zonder herkenbare gegevens, een veelgestelde vraag worden")
    )


def _multi(label):
    return SelectMultipleField(
        label,
        coerce=int,
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class PoolForm(FlaskForm):
    themes = _multi(_l("Thema's waar je ervaring mee hebt"))
    sectors = _multi(_l("Sectoren die je kent"))
    regions = _multi(_l("Regio's waar je werkt"))
    availability = RadioField(
        _l("Hoe vaak heb je tijd?"),
        choices=AVAILABILITY_CHOICES,
        default="maandelijks",
        validators=[DataRequired(_l("Kies hoe vaak je tijd hebt."))],
    )
    is_available = BooleanField(_l("Ik ben nu beschikbaar voor nieuwe vragen"), default=True)

    def fill_choices(self) -> None:
        self.themes.choices = [(t.id, t.label) for t in terms(Tag)]
        self.sectors.choices = [(t.id, t.label) for t in terms(Sector)]
        self.regions.choices = [(t.id, t.label) for t in terms(Region)]
