"""Routes of the insight pages. Thin: load, check the policy, call a query or a service."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from auth.guards import member_required
from core.db import utcnow
from core.extensions import db
from core.permissions import require
from groups.queries import readable_group_ids
from insight import policies, queries, receivers, signal_views, unsubscribe_views
from insight.blueprint import bp
from insight.export import region_csv_rows, to_csv
from insight.periods import DEFAULT_PERIOD, month_label, parse_period, period_choices
from insight.services import is_subscribed, set_quarterly_subscription

#: The blocks of the region page, in order. A feature added later adds its template here
#: and its figures to `queries.region_figures` (as the kennisbank's "most read" did).
REGION_SECTIONS = [
    "insight/_section_members.html",
    "insight/_section_questions.html",
    "insight/_section_themes.html",
    "insight/_section_cross_sector.html",
    "insight/_section_events.html",
    "insight/_section_signals.html",
    "insight/_section_knowledge.html",
]


def _period():
    """The requested period, or the default one and a message for the page."""
    now = utcnow()
    period = parse_period(request.args.get("periode"), now)
    if period is not None:
        return period, None
    message = _("Deze periode kennen we niet; je ziet de afgelopen 3 maanden.")
    return parse_period(DEFAULT_PERIOD, now), message


def _region_or_404(slug: str):
    region = queries.region_by_slug(slug)
    if region is None:
        abort(404)
    return region, queries.coordinated_region_ids(current_user)


@bp.get("/inzicht")
@member_required
def overview():
    require(policies.can_view_national(current_user))
    period, error = _period()
    coordinated = queries.coordinated_region_ids(current_user)
    return render_template(
        "insight/overview.html",
        rows=queries.national_rows(period),
        period=period,
        period_error=error,
        choices=period_choices(utcnow()),
        may_view=lambda region: policies.can_view_region(current_user, region, coordinated),
        may_subscribe=policies.can_subscribe_quarterly(current_user),
        is_subscribed=is_subscribed(current_user),
    ), (400 if error else 200)


@bp.get("/inzicht/<slug>")
@member_required
def region(slug: str):
    region, coordinated = _region_or_404(slug)
    require(policies.can_view_region(current_user, region, coordinated))
    period, error = _period()
    return render_template(
        "insight/region.html",
        figures=queries.region_figures(region, period),
        period_error=error,
        choices=period_choices(utcnow()),
        may_read_notes=policies.can_read_signal_notes(current_user, region, coordinated),
        sections=REGION_SECTIONS,
    ), (400 if error else 200)


@bp.get("/inzicht/<slug>.csv")
@member_required
def region_csv(slug: str):
    region, coordinated = _region_or_404(slug)
    require(policies.can_view_region(current_user, region, coordinated))
    period, error = _period()
    if error:
        abort(400)
    body = to_csv(region_csv_rows(queries.region_figures(region, period)))
    filename = f"inzicht-{region.key}-{period.key}.csv"
    return Response(
        "\ufeff" + body,  # Excel reads UTF-8 with a byte-order mark
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/inzicht/<slug>/signalen")
@member_required
def region_signals(slug: str):
    region, coordinated = _region_or_404(slug)
    require(policies.can_read_signal_notes(current_user, region, coordinated))
    signals = queries.region_signals(region.id, readable_group_ids(current_user))
    return render_template("insight/signals.html", region=region, signals=signals)


@bp.post("/inzicht/kwartaalmail")
@member_required
def quarterly_subscription():
    require(policies.can_subscribe_quarterly(current_user))
    subscribe = request.form.get("subscribe") == "1"
    set_quarterly_subscription(current_user.id, subscribe)
    db.session.commit()
    if subscribe:
        flash(_("Je krijgt voortaan elk kwartaal een overzicht van je regio."), "success")
    else:
        flash(_("Je krijgt het kwartaaloverzicht niet meer."), "success")
    return redirect(url_for("insight.overview"))


__all__ = ["bp", "unsubscribe_views"]  # the routes of both modules are on bp


def init_app(app) -> None:
    receivers.connect_receivers()
    app.jinja_env.globals["month_label"] = month_label
    app.jinja_env.filters["format_decimal"] = format_decimal
    signal_views.init_app(app)
