"""URLs that must work outside a request: in emails, calendars and tasks."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    """An absolute URL on the configured BASE_URL, with or without a request."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        adapter = current_app.url_map.bind("localhost", script_name="/")
        path = adapter.build(endpoint, values)
    return current_app.config["BASE_URL"] + path
