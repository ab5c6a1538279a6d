"""Thread lists are rendered row by row and kept (`groups.rendering`): a row whose thread
changed, or that a member reads in another language or with other read state, is
rendered anew, never served from the copy of before."""

from __future__ import annotations

from core.extensions import db
from tests.factories import join, make_group, make_reply, make_thread


def test_a_listed_thread_shows_its_new_reply_count_and_each_members_language(
    app, make_user, client_for
):
    anna, bram = make_user(), make_user(language="en")
    group = make_group("Casusoverleg")
    join(group, anna)
    join(group, bram)
    thread = make_thread(group, anna, title="Zorgen over een leerling")
    make_reply(thread, bram)
    db.session.commit()
    page = f"/groups/{group.slug}"

    first = client_for(anna).get(page).get_data(as_text=True)
    assert "1 reactie" in first
    make_reply(thread, bram, body="Nog een reactie.")
    db.session.commit()
    again = client_for(anna).get(page).get_data(as_text=True)
    assert "2 reacties" in again
    assert "1 reactie<" not in again
    assert "· 1 reactie" not in again

    english = client_for(bram).get(page).get_data(as_text=True)
    assert "2 replies" in english
    assert "Zorgen over een leerling" in english
    assert "reacties" not in english
    assert len(app.extensions["thread_item_fragments"]._items) >= 3
