"""Form helpers shared by features: cleaned text fields and taxonomy choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField

from core.text import clean_text


def _clean(value):
    return clean_text(value).strip() if isinstance(value, str) else value


class CleanStringField(StringField):
    """A one-line field without control characters or surrounding spaces."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = " ".join(_clean(self.data).split())


class CleanTextAreaField(TextAreaField):
    """Multi-line text without NUL and other control characters."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = _clean(self.data)


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
