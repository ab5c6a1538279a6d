"""Translated labels for the kennisbank's fixed value lists.

Each `*_labels()` translates its whole list once; a page that labels many rows takes the
dict once (`all_labels`) instead of calling `*_label` per row.
"""

from __future__ import annotations

from core.i18n import gettext as _


def kind_labels() -> dict[str, str]:
    return {
        "interventie": _("Interventie"),
        "handreiking": _("Handreiking"),
        "achtergrond": _("Achtergrond"),
        "faq": _("Veelgestelde vraag"),
        "instrument": _("Instrument"),
    }


def level_labels() -> dict[str, str]:
    return {
        "goed-beschreven": _("Goed beschreven"),
        "goed-onderbouwd": _("Goed onderbouwd"),
        "effectief-eerste": _("Effectief volgens eerste aanwijzingen"),
        "effectief-goede": _("Effectief volgens goede aanwijzingen"),
        "effectief-sterke": _("Effectief volgens sterke aanwijzingen"),
        "niet-beoordeeld": _("Niet beoordeeld"),
    }


def approach_labels() -> dict[str, str]:
    return {
        "training-professionals": _("Training voor eerstelijns professionals"),
        "gezinsondersteuning": _("Ondersteuning van gezinnen"),
        "jongerenwerk-onderwijs": _("Jongerenwerk en onderwijs"),
        "exit": _("Exit en uitstap"),
        "gemeenschap": _("Betrekken van de gemeenschap"),
        "communicatie-narratieven": _("Communicatie en tegenverhalen"),
        "ggz": _("Aanpak vanuit de geestelijke gezondheidszorg"),
    }


def kind_label(kind: str) -> str:
    return kind_labels().get(kind, kind)


def level_label(level: str | None) -> str:
    return level_labels().get(level or "", level or "")


def approach_label(approach: str | None) -> str:
    return approach_labels().get(approach or "", approach or "")


def status_label(status: str) -> str:
    return {
        "draft": _("Concept"),
        "review": _("Ter controle"),
        "published": _("Gepubliceerd"),
        "archived": _("Gearchiveerd"),
    }.get(status, status)


def field_labels() -> dict[str, str]:
    return {
        "goal": _("Doel"),
        "target_group": _("Doelgroep"),
        "method": _("Aanpak"),
        "rationale": _("Onderbouwing"),
        "delivery": _("Uitvoering"),
        "provider": _("Aanbieder en contact"),
        "costs": _("Kosten"),
        "sources": _("Bronnen"),
    }


def field_label(name: str) -> str:
    return field_labels().get(name, name)


def all_labels() -> dict[str, dict[str, str]]:
    """The kind, level and approach labels, each list translated once."""
    return {"kind": kind_labels(), "level": level_labels(), "approach": approach_labels()}
