"""Routes of the insight pages. Thin: load, check the policy, call a query or a service."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user
from markupsafe import Markup

from auth.guards import member_required
from core.db import utcnow
from core.extensions import db
from core.i18n import gettext as _
from core.permissions import require
from groups.queries import readable_group_ids
from insight import cache, charts, policies, queries, receivers, signal_views, unsubscribe_views
from insight.blueprint import bp
from insight.cache import cached
from insight.export import region_csv_rows, to_csv
from insight.periods import DEFAULT_PERIOD, month_label, parse_period, period_choices
from insight.services import is_subscribed, set_quarterly_subscription

#: The blocks of the region page, in order. A feature added later adds its template here
#: and its figures to `queries.rollup_figures`. These blocks show rollup figures only:
#: they are rendered once per region, period, language and refresh (`insight.cache`).
REGION_SECTIONS = [
    "insight/_section_members.html",
    "insight/_section_questions.html",
    "insight/_section_themes.html",
    "insight/_section_cross_sector.html",
    "insight/_section_events.html",
    "insight/_section_signals.html",
]
#: Blocks that also show rows as they are now (the kennisbank items' titles and
#: status, `queries.with_most_read`): rendered on every request, after the others.
LIVE_SECTIONS = ["insight/_section_knowledge.html"]


def _period():
    """The requested period, or the default one and a message for the page."""
    now = utcnow()
    period = parse_period(request.args.get("periode"), now)
    if period is not None:
        return period, None
    message = _("Deze periode kennen we niet; je ziet de afgelopen 3 maanden.")
    return parse_period(DEFAULT_PERIOD, now), message


def _region_or_404(slug: str):
    """The region, the rollups' refresh stamp and {the region} if the user coordinates
    its regional group (all the policies need to know)."""
    found = queries.region_for_page(slug, current_user)
    if found is None:
        abort(404)
    return found


def _rollup_figures(region, period, stamp) -> queries.RegionFigures:
    """The region's rollup figures, suppressed, from the cache when this worker already
    computed them for this period, language and refresh."""
    return cached(
        stamp, ("figures", region.id, period), lambda: queries.rollup_figures(region, period)
    )


def _sections_html(figures: queries.RegionFigures, stamp) -> Markup:
    """REGION_SECTIONS rendered; they depend on the figures and the language only."""
    return cached(
        stamp,
        ("sections", figures.region.id, figures.period),
        lambda: Markup(  # noqa: S704 - a template rendered with autoescape
            render_template("insight/_sections.html", figures=figures, sections=REGION_SECTIONS)
        ),
    )


@bp.get("/inzicht")
@member_required
def overview():
    require(policies.can_view_national(current_user))
    period, error = _period()
    stamp, coordinated = queries.overview_state(current_user)
    rows, chart = cached(stamp, ("national", period), lambda: _national(period))
    user = current_user._get_current_object()
    may_subscribe = policies.can_subscribe_quarterly(user)
    return render_template(
        "insight/overview.html",
        rows=rows,
        chart=chart,
        viewable={
            region.id
            for region, _cells in rows
            if policies.can_view_region(user, region, coordinated)
        },
        period=period,
        period_error=error,
        choices=period_choices(utcnow()),
        may_subscribe=may_subscribe,
        is_subscribed=may_subscribe and is_subscribed(user),
    ), (400 if error else 200)


def _national(period) -> tuple[list[tuple[queries.RegionRef, Markup]], Markup]:
    """The overview's rows as (region, its figure cells as HTML) and its chart: the
    same for every member, so kept per period, language and refresh."""
    rows = queries.national_rows(period)
    cells = [
        (
            row.region,
            Markup("").join(
                Markup('<td class="num">{}</td>').format(charts.figure(c))
                for c in (
                    row.members,
                    row.active_members,
                    row.questions,
                    row.events_held,
                    row.signals,
                )
            ),
        )
        for row in rows
    ]
    chart = charts.bar_chart(
        "chart-members",
        _("Leden per regio"),
        _("Staafdiagram van het aantal leden per veiligheidsregio."),
        [(row.region.label, row.members) for row in rows],
    )
    return cells, chart


@bp.get("/inzicht/<slug>")
@member_required
def region(slug: str):
    region, stamp, coordinated = _region_or_404(slug)
    require(policies.can_view_region(current_user, region, coordinated))
    period, error = _period()
    figures = _rollup_figures(region, period, stamp)
    return render_template(
        "insight/region.html",
        figures=queries.with_most_read(figures),
        cached_sections=_sections_html(figures, stamp),
        period_error=error,
        choices=period_choices(utcnow()),
        may_read_notes=policies.can_read_signal_notes(current_user, region, coordinated),
        sections=LIVE_SECTIONS,
    ), (400 if error else 200)


@bp.get("/inzicht/<slug>.csv")
@member_required
def region_csv(slug: str):
    region, stamp, coordinated = _region_or_404(slug)
    require(policies.can_view_region(current_user, region, coordinated))
    period, error = _period()
    if error:
        abort(400)
    figures = queries.with_most_read(_rollup_figures(region, period, stamp))
    body = to_csv(region_csv_rows(figures))
    filename = f"inzicht-{region.key}-{period.key}.csv"
    return Response(
        "\ufeff" + body,  # Excel reads UTF-8 with a byte-order mark
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/inzicht/<slug>/signalen")
@member_required
def region_signals(slug: str):
    region, _stamp, coordinated = _region_or_404(slug)
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
    cache.init_app(app)
    app.jinja_env.globals["month_label"] = month_label
    app.jinja_env.globals["insight_charts"] = SimpleNamespace(
        bar_chart=charts.bar_chart, figure=charts.figure, delta=charts.delta
    )
    app.jinja_env.filters["format_decimal"] = format_decimal
    signal_views.init_app(app)
