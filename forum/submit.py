"""The post-form sequence shared by every form that posts member text (new thread,
reply, edit; and the features above the forum that take member text):

validate → posting interval → privacy guard → commit → redirect, or render the form
again with everything the member typed (422 when invalid or stopped by the privacy
guard, 429 when posting again too soon).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request
from flask_login import current_user

from core.extensions import db
from core.i18n import ngettext
from core.privacy.guard import highlight
from forum import services


def submit_post_form(
    form,
    save: Callable[[], object],
    *,
    success: str,
    redirect_to: Callable[[object], str],
    template: str,
    rate_limited: bool = True,
    **context,
):
    """On POST: validate `form`, check the posting interval, `save()` (a service call
    that raises PrivacyGuardError), commit and redirect to `redirect_to(saved)`.
    Otherwise, or when any step stops it, render `template` with `form` and `context`."""
    error = None
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            wait = _wait_seconds() if rate_limited else 0
            if wait:
                flash(_rate_limit_message(wait), "warning")
                status = 429
            else:
                try:
                    saved = save()
                except services.PrivacyGuardError as exc:
                    error = exc
                else:
                    db.session.commit()
                    flash(success, "success")
                    return redirect(redirect_to(saved))
    return render_template(template, form=form, **context, **_privacy_context(error, form)), status


def _wait_seconds() -> int:
    intervals = services.PostingIntervals.from_config(current_app.config)
    return services.seconds_until_next_post(current_user, intervals)


def _rate_limit_message(seconds: int) -> str:
    return ngettext(
        "Je hebt net iets geplaatst. Wacht nog %(num)d seconde en verstuur het dan opnieuw; je tekst staat nog in het formulier.",
        "Je hebt net iets geplaatst. Wacht nog %(num)d seconden en verstuur het dan opnieuw; je tekst staat nog in het formulier.",
        seconds,
    )


def _privacy_context(error: services.PrivacyGuardError | None, form) -> dict:
    if error is None:
        return {"privacy": None}
    title = getattr(form, "title", None)
    return {
        "privacy": {
            "is_blocked": error.is_blocked,
            "labels": error.labels,
            "body": highlight(form.body.data or "", error.body.findings),
            "title": highlight(title.data or "", error.title.findings)
            if title is not None and error.title.findings
            else None,
        }
    }
