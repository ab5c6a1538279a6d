"""Group operations: joining, requests, invitations, coordinators, member counts, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.extensions import db
from groups import services
from groups.models import Group, Membership
from groups.services import GroupError
from tests.conftest import sent_emails
from tests.factories import join, make_group


def membership_of(group, user) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def member_count(group) -> int:
    db.session.expire_all()
    return db.session.get(Group, group.id).member_count


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_joining_an_open_group_makes_an_active_member_and_counts_them_once(app, make_user):
    group, user = make_group(), make_user()
    services.join_group(user, group)
    services.join_group(user, group)
    db.session.commit()
    assert membership_of(group, user).status == "active"
    assert member_count(group) == 1


def test_a_closed_group_cannot_be_joined_with_one_click(app, make_user):
    group = make_group(visibility="closed")
    with pytest.raises(GroupError):
        services.join_group(make_user(), group)


def test_a_request_waits_for_the_coordinator_and_is_not_counted(app, make_user):
    group, user = make_group(visibility="closed"), make_user()
    services.request_to_join(user, group)
    db.session.commit()
    assert membership_of(group, user).status == "requested"
    assert member_count(group) == 0


def test_requests_are_only_for_closed_groups(app, make_user):
    with pytest.raises(GroupError):
        services.request_to_join(make_user(), make_group(visibility="secret"))


def test_approving_a_request_admits_the_member_and_emails_them(app, make_user):
    group = make_group("Casuïstiek Zeeland", visibility="closed")
    coordinator, requester = make_user(), make_user(email="aanvrager@example.org")
    join(group, coordinator, role="coordinator")
    request = services.request_to_join(requester, group)
    assert services.approve_request(request, coordinator) is True
    db.session.commit()
    assert membership_of(group, requester).status == "active"
    assert membership_of(group, requester).decided_by_id == coordinator.id
    assert member_count(group) == 2
    [email] = sent_emails(to="aanvrager@example.org")
    assert "Casuïstiek Zeeland" in email.subject
    assert f"/groups/{group.slug}" in email.text_body
    assert f"/groups/{group.slug}" in email.html_body


def test_a_request_is_decided_only_once(app, make_user):
    group = make_group(visibility="closed")
    coordinator, requester = make_user(), make_user()
    request = services.request_to_join(requester, group)
    db.session.commit()
    assert services.approve_request(request, coordinator) is True
    assert services.approve_request(request, coordinator) is False
    assert services.decline_request(membership_of(group, requester), coordinator) is False
    db.session.commit()
    assert member_count(group) == 1
    assert len(sent_emails(to=requester.email)) == 1


def test_declining_a_request_removes_it_and_tells_the_requester(app, make_user):
    group = make_group(visibility="closed")
    coordinator, requester = make_user(), make_user(email="nee@example.org")
    request = services.request_to_join(requester, group)
    assert services.decline_request(request, coordinator) is True
    db.session.commit()
    assert membership_of(group, requester) is None
    assert member_count(group) == 0
    [email] = sent_emails(to="nee@example.org")
    assert "/groups" in email.text_body


def test_an_invitation_to_a_secret_group_is_emailed_and_can_be_accepted(app, make_user):
    group = make_group("Intervisie Zwolle", visibility="secret", kind="intervision")
    coordinator = make_user("Coördinator")
    invitee = make_user(email="genodigde@example.org")
    join(group, coordinator, role="coordinator")
    assert services.invite_member(group, invitee, coordinator) == "invited"
    db.session.commit()
    assert membership_of(group, invitee).status == "invited"
    assert member_count(group) == 1
    [email] = sent_emails(to="genodigde@example.org")
    assert "Coördinator" in email.text_body
    assert "Intervisie Zwolle" in email.text_body

    services.accept_invitation(invitee, group)
    db.session.commit()
    assert membership_of(group, invitee).status == "active"
    assert member_count(group) == 2


def test_inviting_twice_or_inviting_a_member_changes_nothing(app, make_user):
    group = make_group(visibility="closed")
    coordinator, invitee, member = make_user(), make_user(), make_user()
    join(group, member)
    assert services.invite_member(group, invitee, coordinator) == "invited"
    assert services.invite_member(group, invitee, coordinator) == "already-invited"
    assert services.invite_member(group, member, coordinator) == "already-member"
    db.session.commit()
    assert len(sent_emails(to=invitee.email)) == 1


def test_inviting_someone_who_asked_to_join_admits_them(app, make_user):
    group = make_group(visibility="closed")
    coordinator, requester = make_user(), make_user()
    services.request_to_join(requester, group)
    assert services.invite_member(group, requester, coordinator) == "approved"
    db.session.commit()
    assert membership_of(group, requester).status == "active"


def test_open_groups_need_no_invitations(app, make_user):
    with pytest.raises(GroupError):
        services.invite_member(make_group(), make_user(), make_user())


def test_requesting_a_closed_group_you_were_invited_to_accepts_the_invitation(app, make_user):
    group = make_group(visibility="closed")
    invitee = make_user()
    services.invite_member(group, invitee, make_user())
    services.request_to_join(invitee, group)
    db.session.commit()
    assert membership_of(group, invitee).status == "active"
    assert member_count(group) == 1


def test_declining_an_invitation_removes_it(app, make_user):
    group = make_group(visibility="secret")
    invitee = make_user()
    services.invite_member(group, invitee, make_user())
    assert services.decline_invitation(invitee, group) is True
    db.session.commit()
    assert membership_of(group, invitee) is None


def test_an_invitation_that_was_withdrawn_cannot_be_accepted(app, make_user):
    group = make_group(visibility="secret")
    with pytest.raises(GroupError):
        services.accept_invitation(make_user(), group)


def test_invitees_are_found_by_email_or_member_number_and_must_be_active(app, make_user):
    member = make_user(email="Wijkagent@Example.org")
    pending = make_user(status="pending")
    assert services.find_invitee("wijkagent@example.org") == member
    assert services.find_invitee(f" {member.id} ") == member
    assert services.find_invitee(pending.email) is None
    assert services.find_invitee(str(pending.id)) is None
    assert services.find_invitee("niemand@example.org") is None
    assert services.find_invitee("") is None


def test_leaving_lowers_the_count_and_withdrawing_a_request_does_not(app, make_user):
    group = make_group(visibility="closed")
    member, requester = make_user(), make_user()
    join(group, member)
    services.request_to_join(requester, group)
    assert services.leave_group(requester, group) is True
    db.session.commit()
    assert member_count(group) == 1
    assert services.leave_group(member, group) is True
    assert services.leave_group(member, group) is False
    db.session.commit()
    assert member_count(group) == 0


def test_removing_a_member_is_audited_and_lowers_the_count(app, make_user):
    group = make_group(visibility="closed")
    coordinator, member = make_user(), make_user()
    join(group, coordinator, role="coordinator")
    target = join(group, member)
    assert services.remove_member(target, coordinator, reason="Andere functie") is True
    db.session.commit()
    assert membership_of(group, member) is None
    assert member_count(group) == 1
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor_id, event.subject_user_id, event.target_id) == (
        "group.member_remove", coordinator.id, member.id, group.id,
    )  # fmt: skip
    assert event.reason == "Andere functie"


def test_appointing_a_coordinator_is_audited_and_a_non_member_becomes_a_member(app, make_user):
    group = make_group(visibility="closed")
    admin, user = make_user(role="admin"), make_user()
    services.appoint_coordinator(group, user, admin)
    db.session.commit()
    membership = membership_of(group, user)
    assert (membership.status, membership.role) == ("active", "coordinator")
    assert member_count(group) == 1
    assert services.revoke_coordinator(membership, admin) is True
    assert services.revoke_coordinator(membership, admin) is False
    db.session.commit()
    assert membership_of(group, user).role == "member"
    assert audit_actions() == ["group.coordinator_appoint", "group.coordinator_revoke"]


def test_appointing_a_requester_admits_them(app, make_user):
    group = make_group(visibility="closed")
    admin, requester = make_user(role="admin"), make_user()
    services.request_to_join(requester, group)
    services.appoint_coordinator(group, requester, admin)
    db.session.commit()
    assert membership_of(group, requester).is_coordinator
    assert member_count(group) == 1


def new_group(**overrides) -> services.NewGroup:
    values = {
        "name": "Casuïstiek Rotterdam-Rijnmond",
        "slug": "",
        "description": "Besloten casuïstiekgroep.",
        "kind": "thematic",
        "visibility": "closed",
    }
    values.update(overrides)
    return services.NewGroup(**values)


def test_creating_a_group_derives_the_slug_from_the_name_and_is_audited(app, make_user):
    admin = make_user(role="admin")
    group = services.create_group(new_group(), admin)
    db.session.commit()
    assert group.slug == "casuistiek-rotterdam-rijnmond"
    assert (group.visibility, group.member_count) == ("closed", 0)
    assert audit_actions() == ["group.create"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"slug": "new"},
        {"slug": "Hoofd Letters"},
        {"kind": "secret-society"},
        {"visibility": "public"},
        {"kind": "regional"},
    ],
)
def test_creating_a_group_refuses_bad_choices(app, make_user, overrides):
    with pytest.raises(GroupError):
        services.create_group(new_group(**overrides), make_user(role="admin"))


def test_group_slugs_are_unique(app, make_user):
    admin = make_user(role="admin")
    services.create_group(new_group(), admin)
    with pytest.raises(GroupError):
        services.create_group(new_group(name="Casuistiek Rotterdam Rijnmond"), admin)


def test_recount_repairs_a_wrong_member_count(app, make_user):
    group = make_group()
    join(group, make_user())
    join(group, make_user(), status="requested")
    group.member_count = 40
    assert services.recount_members(group) == 1


def test_regional_groups_are_seeded_once_per_region(app):
    first = services.ensure_regional_groups()
    second = services.ensure_regional_groups()
    db.session.commit()
    regional = db.session.scalars(select(Group).where(Group.kind == "regional")).all()
    assert first == second == len(regional) == 27
    assert all(group.visibility == "members" for group in regional)
