"""Form helpers shared by features: cleaned text fields and taxonomy choices."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField

from core.i18n import lazy_gettext as _l
from core.text import clean_line, clean_multiline


class CleanStringField(StringField):
    """A one-line field (titles, names, organisations): no control characters, no
    directional overrides or isolates, no surrounding or repeated spaces."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = clean_line(self.data)


class CleanTextAreaField(TextAreaField):
    """Multi-line text without NUL and other control characters; directional controls
    are kept only as pairs closed on their own line."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = clean_multiline(self.data).strip()


class TermSelectField(SelectField):
    """A select of taxonomy terms; choices are filled per request by `fill_terms`."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", _coerce_int)
        kwargs.setdefault("validate_choice", True)
        super().__init__(label, validators, **kwargs)


def _coerce_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def fill_terms(field: SelectField, model, *, blank: bool = True) -> None:
    from core.taxonomy import terms

    choices = [(term.id, term.label) for term in terms(model)]
    field.choices = ([(0, str(_l("– Kies –")))] if blank else []) + choices
