"""Forms for threads and posts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import CleanStringField, CleanTextAreaField
from core.i18n import lazy_gettext as _l

TITLE_MIN, TITLE_MAX = 5, 150
BODY_MAX = 20_000

CASE_TEMPLATE = "\n\n".join(
    [
        "**Situatie**\n",
        "**Waargenomen feiten**\n",
        "**Tegensignalen**\n",
        "**Mijn vraag**\n",
        "**Wat heb ik al gedaan**\n",
    ]
)


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class PrivacyCheckMixin:
    privacy_checked = BooleanField(_l("Ik heb gecontroleerd dat dit niet herleidbaar is"))


class BodyField(CleanTextAreaField):
    pass


def body_field(label):
    return BodyField(
        label,
        validators=[
            DataRequired(_l("Schrijf een tekst.")),
            Length(max=BODY_MAX, message=_l("Maximaal %(max)d tekens.")),
        ],
        description=_l(
            "Je kunt Markdown gebruiken. Noem nooit de naam of andere gegevens van een jongere."
        ),
    )


class ThreadForm(PrivacyCheckMixin, FlaskForm):
    title = CleanStringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Geef het gesprek een titel.")),
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=_l("Een titel heeft %(min)d tot %(max)d tekens."),
            ),
        ],
    )
    kind = RadioField(
        _l("Soort"),
        choices=[("discussion", _l("Gesprek")), ("question", _l("Vraag (casus of advies)"))],
        default="discussion",
        validators=[DataRequired(_l("Kies een soort."))],
    )
    body = body_field(_l("Tekst"))
    tags = SelectMultipleField(
        _l("Onderwerpen"),
        coerce=_coerce_int,
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def fill_tags(self, tags) -> None:
        self.tags.choices = [(tag.id, tag.label) for tag in tags]


class ReplyForm(PrivacyCheckMixin, FlaskForm):
    body = body_field(_l("Je reactie"))
    parent_id = HiddenField()

    def parent_post_id(self) -> int | None:
        value = (self.parent_id.data or "").strip()
        return int(value) if value.isdigit() else None


class EditPostForm(PrivacyCheckMixin, FlaskForm):
    title = CleanStringField(
        _l("Titel"),
        validators=[
            Optional(),
            Length(
                min=TITLE_MIN,
                max=TITLE_MAX,
                message=_l("Een titel heeft %(min)d tot %(max)d tekens."),
            ),
        ],
    )
    body = body_field(_l("Tekst"))


class MoveThreadForm(FlaskForm):
    group_id = SelectField(_l("Verplaats naar groep"), coerce=_coerce_int, validate_choice=True)
