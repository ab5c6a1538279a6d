"""The group pages over HTTP: visibility, 404 for what a member may not know exists,
joining, requests, invitations, member management and the dashboard."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from groups.models import Group, Membership
from tests.conftest import sent_emails
from tests.factories import join, make_group, make_thread, mark_read


def text(response) -> str:
    return response.get_data(as_text=True)


def main(response) -> str:
    page = text(response)
    return page[page.index("<main") : page.index("</main>")]


def status_of(group, user) -> str | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Membership.status).where(
            Membership.group_id == group.id, Membership.user_id == user.id
        )
    )


@pytest.fixture
def closed(app, make_user):
    """A closed group with a coordinator, a member and one confidential thread."""
    group = make_group("Casuïstiek Rijnmond", visibility="closed", description="Alleen anoniem.")
    coordinator = make_user("Carla Coördinator", sector="politie")
    member = make_user("Mila Lid", sector="onderwijs")
    join(group, coordinator, role="coordinator")
    join(group, member)
    make_thread(group, member, title="Vertrouwelijke zorg over een groepje", kind="question")
    return group, coordinator, member


@pytest.fixture
def secret(app, make_user):
    group = make_group("Intervisie Geheim", visibility="secret", kind="intervision")
    member = make_user("Sam Intervisie")
    join(group, member, role="coordinator")
    make_thread(group, member, title="Geheime intervisiecasus")
    return group, member


# --- who may see what -----------------------------------------------------------------


def test_the_group_pages_need_a_logged_in_approved_member(app, client, make_user, login):
    group = make_group()
    for path in ("/groups", f"/groups/{group.slug}", "/dashboard"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/login" in response.location
    pending = make_user(status="pending")
    login(client, pending)
    assert "/auth/status" in client.get("/groups").location


def test_the_list_shows_open_and_closed_groups_but_not_secret_ones(
    closed, secret, make_user, client_for
):
    outsider = client_for(make_user())
    page = text(outsider.get("/groups"))
    assert "Casuïstiek Rijnmond" in page
    assert "Intervisie Geheim" not in page
    assert "Verzoek om lid te worden" in page


def test_a_secret_group_is_listed_for_its_members_first(closed, secret, client_for):
    _group, member = secret
    page = text(client_for(member).get("/groups"))
    mine = page.index("Mijn groepen")
    assert mine < page.index("Intervisie Geheim") < page.index("Thematische groepen")


def test_a_closed_group_shows_a_non_member_only_its_name_description_and_request(
    closed, make_user, client_for
):
    group, _coordinator, _member = closed
    outsider = client_for(make_user())
    response = outsider.get(f"/groups/{group.slug}")
    page = text(response)
    assert response.status_code == 200
    assert "Casuïstiek Rijnmond" in page
    assert "Alleen anoniem." in page
    assert "Verzoek om lid te worden" in page
    assert "Vertrouwelijke zorg" not in page
    assert "Mila Lid" not in page
    assert "2 leden" not in page


def test_a_closed_groups_content_urls_are_404_for_non_members(closed, make_user, client_for):
    group, _coordinator, member = closed
    outsider = client_for(make_user())
    assert outsider.get(f"/groups/{group.slug}/members").status_code == 404
    for action in ("approve", "decline", "remove", "appoint", "revoke"):
        assert (
            outsider.post(f"/groups/{group.slug}/members/{member.id}/{action}").status_code == 404
        )
    assert outsider.post(f"/groups/{group.slug}/invite", data={"member": "x"}).status_code == 404


def test_closed_group_thread_titles_never_reach_a_non_members_pages(closed, make_user, client_for):
    group, _coordinator, _member = closed
    outsider = client_for(make_user(sector="onderwijs"))  # same sector as the asker
    for path in ("/", "/dashboard", "/groups", f"/groups/{group.slug}"):
        assert "Vertrouwelijke zorg" not in text(outsider.get(path)), path


def test_every_url_of_a_secret_group_is_404_for_a_non_member(secret, make_user, client_for):
    group, member = secret
    outsider = client_for(make_user())
    base = f"/groups/{group.slug}"
    for path in (base, f"{base}/members"):
        assert outsider.get(path).status_code == 404, path
    for path in ("join", "leave", "request", "invite", "invitation/accept", "invitation/decline",
                 "coordinators", f"members/{member.id}/approve", f"members/{member.id}/decline",
                 f"members/{member.id}/remove", f"members/{member.id}/appoint",
                 f"members/{member.id}/revoke"):  # fmt: skip
        assert outsider.post(f"{base}/{path}").status_code == 404, path
    assert outsider.get("/groups/bestaat-niet").status_code == 404


def test_a_secret_group_shows_its_members_the_threads(secret, client_for):
    group, member = secret
    page = text(client_for(member).get(f"/groups/{group.slug}"))
    assert "Geheime intervisiecasus" in page


# --- joining, leaving, requests ------------------------------------------------------------


def test_joining_and_leaving_an_open_group(app, make_user, client_for):
    group = make_group("Online radicalisering")
    user = make_user()
    client = client_for(user)
    response = client.post(f"/groups/{group.slug}/join", follow_redirects=True)
    assert "Je bent lid van Online radicalisering" in text(response)
    assert status_of(group, user) == "active"
    assert db.session.get(Group, group.id).member_count == 1
    response = client.post(f"/groups/{group.slug}/leave", data={"next": "/groups"})
    assert response.location.endswith("/groups")
    assert status_of(group, user) is None


def test_joining_a_closed_group_directly_is_refused(closed, make_user, client_for):
    group, *_ = closed
    user = make_user()
    assert client_for(user).post(f"/groups/{group.slug}/join").status_code == 403
    assert status_of(group, user) is None


def test_the_next_field_cannot_send_a_member_off_site(app, make_user, client_for):
    group = make_group()
    response = client_for(make_user()).post(
        f"/groups/{group.slug}/join", data={"next": "//evil.example/"}
    )
    assert response.location.endswith(f"/groups/{group.slug}")


def test_a_request_is_approved_by_the_coordinator(closed, make_user, client_for):
    group, coordinator, _member = closed
    requester = make_user("Rik Aanvrager", email="rik@example.org")
    rik = client_for(requester)
    response = rik.post(f"/groups/{group.slug}/request", follow_redirects=True)
    assert "Je verzoek is verstuurd" in text(response)
    assert "Verzoek verstuurd" in text(rik.get(f"/groups/{group.slug}"))

    carla = client_for(coordinator)
    page = text(carla.get(f"/groups/{group.slug}/members"))
    assert "Rik Aanvrager" in page
    assert "Toelaten" in page
    for action in ("Afwijzen", "Uit de groep halen"):
        assert re.search(rf'class="button button-small button-danger"\s*>{action}<', page), action
    assert "1 verzoek" in text(carla.get(f"/groups/{group.slug}"))
    response = carla.post(f"/groups/{group.slug}/members/{requester.id}/approve")
    assert response.status_code == 302
    assert status_of(group, requester) == "active"
    assert "Vertrouwelijke zorg" in text(rik.get(f"/groups/{group.slug}"))
    assert len(sent_emails(to="rik@example.org")) == 1


def test_a_request_can_be_declined_and_withdrawn(closed, make_user, client_for):
    group, coordinator, _member = closed
    first, second = make_user(), make_user()
    client_for(first).post(f"/groups/{group.slug}/request")
    client_for(coordinator).post(f"/groups/{group.slug}/members/{first.id}/decline")
    assert status_of(group, first) is None
    assert len(sent_emails(to=first.email)) == 1
    client = client_for(second)
    client.post(f"/groups/{group.slug}/request")
    response = client.post(f"/groups/{group.slug}/leave", follow_redirects=True)
    assert "Je verzoek is ingetrokken" in text(response)
    assert status_of(group, second) is None


def test_members_see_the_member_list_but_cannot_manage_it(closed, make_user, client_for):
    group, coordinator, member = closed
    requester = make_user()
    client_for(requester).post(f"/groups/{group.slug}/request")
    mila = client_for(member)
    page = text(mila.get(f"/groups/{group.slug}/members"))
    assert "Carla Coördinator" in page
    assert 'class="badge badge-sector">Politie' in page
    assert "Toelaten" not in page
    assert "Uitnodigen" not in page
    assert mila.post(f"/groups/{group.slug}/members/{requester.id}/approve").status_code == 403
    assert mila.post(f"/groups/{group.slug}/members/{coordinator.id}/remove").status_code == 403
    assert status_of(group, requester) == "requested"


def test_a_coordinator_removes_a_member_but_not_a_fellow_coordinator(closed, make_user, client_for):
    group, coordinator, member = closed
    other = make_user()
    join(group, other, role="coordinator")
    carla = client_for(coordinator)
    assert carla.post(f"/groups/{group.slug}/members/{other.id}/remove").status_code == 403
    assert carla.post(f"/groups/{group.slug}/members/{member.id}/remove").status_code == 302
    assert status_of(group, member) is None
    assert db.session.scalars(select(AuditEvent.action)).all() == ["group.member_remove"]


# --- invitations ----------------------------------------------------------------------


def test_an_invitee_sees_the_secret_group_and_accepts(secret, make_user, client_for):
    group, coordinator = secret
    invitee = make_user("Ivo Genodigd", email="ivo@example.org")
    response = client_for(coordinator).post(
        f"/groups/{group.slug}/invite", data={"member": "IVO@example.org"}, follow_redirects=True
    )
    assert "Ivo Genodigd is uitgenodigd" in text(response)
    email = sent_emails(to="ivo@example.org")[0]
    assert f"/groups/{group.slug}" in email.text_body

    ivo = client_for(invitee)
    assert "Intervisie Geheim" in text(ivo.get("/groups"))
    assert "Intervisie Geheim" in text(ivo.get("/"))  # the dashboard lists invitations
    page = text(ivo.get(f"/groups/{group.slug}"))
    assert "Uitnodiging aannemen" in page
    assert "Geheime intervisiecasus" not in page
    ivo.post(f"/groups/{group.slug}/invitation/accept")
    assert status_of(group, invitee) == "active"
    assert "Geheime intervisiecasus" in text(ivo.get(f"/groups/{group.slug}"))


def test_an_invitation_can_be_declined(secret, make_user, client_for):
    group, coordinator = secret
    invitee = make_user()
    client_for(coordinator).post(f"/groups/{group.slug}/invite", data={"member": str(invitee.id)})
    ivo = client_for(invitee)
    assert ivo.post(f"/groups/{group.slug}/invitation/decline").location.endswith("/groups")
    assert status_of(group, invitee) is None
    assert ivo.get(f"/groups/{group.slug}").status_code == 404


def test_inviting_an_unknown_address_says_so(secret, client_for):
    group, coordinator = secret
    response = client_for(coordinator).post(
        f"/groups/{group.slug}/invite",
        data={"member": "niemand@example.org"},
        follow_redirects=True,
    )
    assert "We vinden geen actief lid" in text(response)
    assert 'role="alert"' in text(response)


# --- admins ---------------------------------------------------------------------------


def test_an_admin_creates_a_group_and_lands_on_its_member_page(app, make_user, client_for):
    admin = make_user(role="admin", with_2fa=True)
    client = client_for(admin)
    assert client.get("/groups/new").status_code == 200
    response = client.post(
        "/groups/new",
        data={"name": "Onderwijs en jongerenwerk", "slug": "", "description": "Samen optrekken.",
              "kind": "thematic", "visibility": "members", "region": "0"},
    )  # fmt: skip
    assert response.location.endswith("/groups/onderwijs-en-jongerenwerk/members")
    group = db.session.scalar(select(Group).where(Group.slug == "onderwijs-en-jongerenwerk"))
    assert group.name == "Onderwijs en jongerenwerk"
    response = client.post(
        "/groups/new",
        data={"name": "Dubbel", "slug": "onderwijs-en-jongerenwerk", "description": "x",
              "kind": "thematic", "visibility": "members", "region": "0"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Er bestaat al een groep met dit webadres" in text(response)


def test_only_admins_may_create_groups(app, make_user, client_for):
    assert client_for(make_user()).get("/groups/new").status_code == 403
    without_2fa = client_for(make_user(role="admin"))
    assert "/account/security" in without_2fa.get("/groups/new").location


def test_an_admin_appoints_and_revokes_a_coordinator(closed, make_user, client_for):
    group, _coordinator, member = closed
    admin = make_user(role="admin", with_2fa=True)
    client = client_for(admin)
    page = text(client.get(f"/groups/{group.slug}/members"))
    assert "Coördinator benoemen" in page
    assert "Maak coördinator" in page
    client.post(f"/groups/{group.slug}/members/{member.id}/appoint")
    assert (
        db.session.scalar(select(Membership.role).where(Membership.user_id == member.id))
        == "coordinator"
    )
    client.post(f"/groups/{group.slug}/members/{member.id}/revoke")
    newcomer = make_user(email="nieuw@example.org")
    client.post(
        f"/groups/{group.slug}/coordinators", data={"coordinator-member": "nieuw@example.org"}
    )
    assert status_of(group, newcomer) == "active"
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == [
        "group.coordinator_appoint",
        "group.coordinator_revoke",
        "group.coordinator_appoint",
    ]


def test_coordinators_cannot_appoint_coordinators(closed, client_for):
    group, coordinator, member = closed
    client = client_for(coordinator)
    assert "Maak coördinator" not in text(client.get(f"/groups/{group.slug}/members"))
    assert client.post(f"/groups/{group.slug}/members/{member.id}/appoint").status_code == 403


# --- the group page -------------------------------------------------------------------


def test_the_group_page_lists_pinned_first_then_by_last_activity(app, make_user, client_for):
    group = make_group()
    author = make_user("Aïcha Auteur", sector="jongerenwerk")
    make_thread(group, author, title="Oud gesprek", ago=timedelta(minutes=300))
    make_thread(
        group, author, title="Vastgezet gesprek", ago=timedelta(minutes=900), is_pinned=True
    )
    make_thread(group, author, title="Recent gesprek", ago=timedelta(minutes=5))
    make_thread(group, author, title="Verborgen gesprek", hidden=True)
    make_thread(group, author, title="Verwijderd gesprek", deleted=True)
    page = text(client_for(make_user()).get(f"/groups/{group.slug}"))
    titles = re.findall(r"<strong>([^<]+ gesprek)</strong>", page)
    assert titles == ["Vastgezet gesprek", "Recent gesprek", "Oud gesprek"]
    assert 'badge badge-sector">Jeugd- en jongerenwerk' in page


def test_the_group_page_marks_unread_threads_and_shows_badges(app, make_user, client_for):
    group = make_group()
    author, reader = make_user(), make_user()
    seen = make_thread(group, author, title="Gelezen gesprek", replies=1)
    fresh = make_thread(group, author, title="Nieuwe reacties gesprek", replies=3)
    make_thread(group, author, title="Nooit geopend gesprek", kind="question")
    make_thread(group, author, title="Beantwoorde vraag", kind="question", replies=1, answered=True)
    mark_read(seen, reader)
    from forum.models import Post

    first_reply = db.session.scalar(
        select(Post.id).where(Post.thread_id == fresh.id, Post.depth == 1).order_by(Post.id)
    )
    mark_read(fresh, reader, up_to_post_id=first_reply)
    page = text(client_for(reader).get(f"/groups/{group.slug}"))

    def item(title):
        start = page.index(title)
        return page[start : page.index("</li>", start)]

    assert "badge-unread" not in item("Gelezen gesprek")
    assert "2 nieuwe reacties" in item("Nieuwe reacties gesprek")
    assert "Nieuw<" in item("Nooit geopend gesprek")
    assert "Open vraag" in item("Nooit geopend gesprek")
    assert "Vraag · beantwoord" in item("Beantwoorde vraag")
    assert "3 reacties" in item("Nieuwe reacties gesprek")


def test_the_group_page_is_paginated_by_twenty(app, make_user, client_for):
    group = make_group()
    author = make_user()
    for minutes in range(25):
        make_thread(
            group,
            author,
            title=f"Draad {minutes:02d}",
            ago=timedelta(minutes=minutes + 1),
            commit=False,
        )
    db.session.commit()
    client = client_for(make_user())
    first = text(client.get(f"/groups/{group.slug}"))
    second = text(client.get(f"/groups/{group.slug}?page=2"))
    assert first.count("<strong>Draad") == 20
    assert "Draad 00" in first
    assert second.count("<strong>Draad") == 5
    assert "Draad 24" in second
    assert 'aria-current="page">2<' in second
    assert text(client.get(f"/groups/{group.slug}?page=99")).count("<strong>Draad") == 5


def test_the_group_page_shows_members_count_sectors_and_coordinators(closed, client_for):
    group, _coordinator, member = closed
    page = text(client_for(member).get(f"/groups/{group.slug}"))
    assert "2 leden" in page
    assert 'badge-sector">Politie</span> 1' in page
    assert 'badge-sector">Onderwijs (po, vo, mbo)</span> 1' in page
    assert "Carla Coördinator" in page


def test_the_new_thread_link_shows_for_those_who_may_post(closed, make_user, client_for):
    group, _coordinator, member = closed
    page = text(client_for(member).get(f"/groups/{group.slug}"))
    assert f'href="/groups/{group.slug}/threads/new"' in page
    moderator = make_user(role="moderator")
    page = text(client_for(moderator).get(f"/groups/{group.slug}"))
    assert "Vertrouwelijke zorg" in page  # moderators read every group …
    assert "/threads/new" not in page  # … but post only where they are members


# --- the dashboard --------------------------------------------------------------------


def test_the_dashboard_is_the_home_page_of_a_member(app, make_user, client_for):
    group = make_group("Regio Zeeland")
    user = make_user("Dewi Dashboard")
    join(group, user)
    author = make_user()
    make_thread(group, author, title="Wat doen jullie na een incident?", replies=2)
    client = client_for(user)
    page = main(client.get("/"))
    assert "Welkom, Dewi Dashboard" in page
    assert "Regio Zeeland" in page
    assert "1 nieuw" in page
    assert "Wat doen jullie na een incident?" in page
    assert main(client.get("/dashboard")) == page


def test_the_dashboard_lists_unanswered_questions_from_my_groups_and_my_sector(
    app, make_user, client_for
):
    mine, other = make_group("Mijn groep"), make_group("Andere open groep")
    secret = make_group("Geheime groep", visibility="secret")
    me = make_user(sector="politie")
    colleague = make_user(sector="politie")
    stranger = make_user(sector="onderwijs")
    join(mine, me)
    join(secret, colleague)
    make_thread(mine, stranger, title="Vraag in mijn groep", kind="question")
    make_thread(
        mine,
        stranger,
        title="Beantwoorde vraag in mijn groep",
        kind="question",
        replies=1,
        answered=True,
    )
    make_thread(mine, me, title="Mijn eigen vraag", kind="question")
    make_thread(other, colleague, title="Vraag van een collega uit mijn sector", kind="question")
    make_thread(other, stranger, title="Vraag uit een andere sector elders", kind="question")
    make_thread(secret, colleague, title="Geheime vraag van een collega", kind="question")
    page = text(client_for(me).get("/"))
    questions = page[page.index("Open vragen in je groepen") :]
    assert "Vraag in mijn groep" in questions
    assert "Vraag van een collega uit mijn sector" in questions
    assert "Beantwoorde vraag in mijn groep" not in questions
    assert "Mijn eigen vraag" not in questions
    assert "Vraag uit een andere sector elders" not in questions
    assert "Geheime vraag" not in page


def test_a_member_without_groups_sees_recent_threads_of_open_groups(app, make_user, client_for):
    open_group, closed_group = make_group(), make_group(visibility="closed")
    author = make_user()
    make_thread(open_group, author, title="Open gesprek")
    make_thread(closed_group, author, title="Besloten gesprek")
    page = text(client_for(make_user()).get("/"))
    assert "Open gesprek" in page
    assert "Besloten gesprek" not in page
    assert "Je bent nog geen lid van een groep." in page


def test_a_coordinator_sees_requests_waiting_on_the_dashboard(closed, make_user, client_for):
    group, coordinator, _member = closed
    client_for(make_user()).post(f"/groups/{group.slug}/request")
    page = text(client_for(coordinator).get("/"))
    assert "1 verzoek om lid te worden" in page
