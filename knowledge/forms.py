"""Forms for kennisbank items (field names follow the public contract in DESIGN.md §3)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectMultipleField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import CleanStringField, CleanTextAreaField
from core.i18n import lazy_gettext as _l
from knowledge import labels
from knowledge.models import APPROACHES, EVIDENCE_LEVELS, KINDS
from knowledge.services import BODY_MAX, FIELD_MAX, SLUG_MAX, SUMMARY_MAX, TITLE_MAX, ItemData


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _checkboxes(label):
    return SelectMultipleField(
        label,
        coerce=_coerce_int,
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


def _text(label, description=None):
    return CleanTextAreaField(
        label,
        validators=[Optional(), Length(max=FIELD_MAX, message=_l("Maximaal %(max)d tekens."))],
        description=description,
    )


class ItemForm(FlaskForm):
    title = CleanStringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Geef het item een titel.")),
            Length(min=3, max=TITLE_MAX, message=_l("Een titel heeft %(min)d tot %(max)d tekens.")),
        ],
    )
    kind = RadioField(_l("Soort"), validators=[DataRequired(_l("Kies een soort."))])
    slug = CleanStringField(
        _l("Adres (slug)"),
        validators=[
            Optional(),
            Length(max=SLUG_MAX),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Alleen kleine letters, cijfers en streepjes, zoals wat-werkt."),
            ),
        ],
        description=_l("Leeg laten maakt het adres uit de titel. Een oud adres blijft werken."),
    )
    summary = CleanTextAreaField(
        _l("Samenvatting"),
        validators=[Optional(), Length(max=SUMMARY_MAX, message=_l("Maximaal %(max)d tekens."))],
        description=_l("Twee of drie zinnen in eenvoudige taal."),
    )
    body = CleanTextAreaField(
        _l("Tekst"),
        validators=[Optional(), Length(max=BODY_MAX, message=_l("Maximaal %(max)d tekens."))],
        description=_l("Je kunt Markdown gebruiken. Noem nooit gegevens van een jongere."),
    )
    themes = _checkboxes(_l("Thema's"))
    sectors = _checkboxes(_l("Sectoren"))
    regions = _checkboxes(_l("Regio's"))
    members_only = BooleanField(_l("Alleen voor leden"))
    last_reviewed_on = DateField(_l("Laatst inhoudelijk gecontroleerd"), validators=[Optional()])
    # Interventions
    evidence_level = RadioField(_l("Erkenningsniveau"), validators=[Optional()])
    approach = RadioField(_l("Aanpak (RAN)"), validators=[Optional()])
    age_min = IntegerField(_l("Leeftijd vanaf"), validators=[Optional(), NumberRange(0, 99)])
    age_max = IntegerField(_l("Leeftijd tot en met"), validators=[Optional(), NumberRange(0, 99)])
    goal = _text(_l("Doel"))
    target_group = _text(_l("Doelgroep"), _l("Wie: jongeren, ouders, professionals …"))
    method = _text(_l("Aanpak"))
    rationale = _text(_l("Onderbouwing"))
    delivery = _text(_l("Uitvoering"), _l("Wie voert het uit en welke training is nodig?"))
    provider = _text(_l("Aanbieder en contact"))
    costs = _text(_l("Kosten"))
    sources = _text(_l("Bronnen"))
    privacy_checked = BooleanField(_l("Ik heb gecontroleerd dat dit niet herleidbaar is"))

    def fill_choices(self, terms: dict) -> None:
        self.kind.choices = [(k, labels.kind_label(k)) for k in KINDS]
        self.evidence_level.choices = [(k, labels.level_label(k)) for k in EVIDENCE_LEVELS]
        self.approach.choices = [(k, labels.approach_label(k)) for k in APPROACHES]
        self.themes.choices = [(t.id, t.label) for t in terms["theme"]]
        self.sectors.choices = [(t.id, t.label) for t in terms["sector"]]
        self.regions.choices = [(t.id, t.label) for t in terms["region"]]

    def fill_from(self, item) -> None:
        for name in ("title", "kind", "slug", "summary", "evidence_level", "approach", "age_min",
                     "age_max", "goal", "target_group", "method", "rationale", "delivery",
                     "provider", "costs", "sources", "last_reviewed_on"):  # fmt: skip
            getattr(self, name).data = getattr(item, name)
        self.body.data = item.body_source
        self.members_only.data = item.is_members_only
        self.themes.data = [t.id for t in item.themes]
        self.sectors.data = [s.id for s in item.sectors]
        self.regions.data = [r.id for r in item.regions]

    def to_data(self) -> ItemData:
        return ItemData(
            title=self.title.data or "",
            kind=self.kind.data,
            slug=self.slug.data or None,
            summary=self.summary.data or "",
            body=self.body.data or "",
            theme_ids=tuple(self.themes.data or ()),
            sector_ids=tuple(self.sectors.data or ()),
            region_ids=tuple(self.regions.data or ()),
            is_members_only=bool(self.members_only.data),
            evidence_level=self.evidence_level.data or None,
            approach=self.approach.data or None,
            age_min=self.age_min.data,
            age_max=self.age_max.data,
            goal=self.goal.data or "",
            target_group=self.target_group.data or "",
            method=self.method.data or "",
            rationale=self.rationale.data or "",
            delivery=self.delivery.data or "",
            provider=self.provider.data or "",
            costs=self.costs.data or "",
            sources=self.sources.data or "",
            last_reviewed_on=self.last_reviewed_on.data,
        )
