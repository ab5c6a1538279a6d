"""`/search`: full-text search across what the member may read."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from auth.guards import member_required
from knowledge.queries import register_text_search
from search import index
from search.choices import FilterChoices, filter_choices
from search.queries import KINDS, MAX_QUERY_LENGTH, SearchFilters, knowledge_matches, parse_query
from search.queries import search as run_search

bp = Blueprint("search", __name__)


def init_app(app) -> None:
    index.connect_receivers()
    # The kennisbank's text search runs on this index (registered, not imported by it).
    register_text_search(knowledge_matches)


def _int_arg(name: str, default: int = 1) -> int:
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default


def _filters(choices: FilterChoices) -> SearchFilters:
    # Unknown values (an old bookmark, a hand-edited URL) are ignored, never an error;
    # a group the member may not read is simply not among the choices.
    group_slug, tag_key, sector_key = (request.args.get(n, "") for n in ("group", "tag", "sector"))
    kind = request.args.get("kind", "")
    return SearchFilters(
        group_id=next((g.id for g in choices.groups if g.key == group_slug), None),
        tag_id=next((t.id for t in choices.tags if t.key == tag_key), None),
        sector_id=next((s.id for s in choices.sectors if s.key == sector_key), None),
        kind=kind if kind in KINDS else None,
        unanswered=request.args.get("unanswered") == "1",
    )


def result_url(result) -> str:
    if result.kind == "knowledge":
        return f"/kennisbank/item/{result.object_id}"
    if result.kind == "event":
        return f"/events/{result.object_id}"
    if result.kind == "post":
        return f"/threads/{result.thread_id}#post-{result.object_id}"
    return f"/threads/{result.object_id}"


@bp.get("/search")
@member_required
def search():
    raw_query = request.args.get("q", "").strip()
    # An over-long query is refused with a message; the text stays in the box to edit.
    too_long = len(raw_query) > MAX_QUERY_LENGTH
    choices = filter_choices(current_user)
    filters = _filters(choices)
    parsed = parse_query("" if too_long else raw_query)
    results = (
        run_search(current_user, raw_query, filters, _int_arg("page"))
        if parsed.is_searchable
        else None
    )
    return render_template(
        "search/results.html",
        query=raw_query,
        too_long=too_long,
        max_length=MAX_QUERY_LENGTH,
        parsed=parsed,
        results=results,
        filters=filters,
        groups=choices.groups,
        tags=choices.tags,
        sectors=choices.sectors,
        result_url=result_url,
        args=request.args,
    )
