"""Group operations. Services flush; the caller commits.

Membership changes are conditional updates (`... WHERE status = 'requested'`), so two
coordinators approving the same request at once, or a double-clicked join, change the
membership and `Group.member_count` exactly once. The count is adjusted with an atomic
`member_count = member_count ± 1` in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from auth.models import User
from core.audit import record_audit
from core.extensions import db
from core.i18n import lazy_gettext as _l
from core.mail import queue_email
from core.taxonomy import Region
from core.text import clean_line
from core.urls import external_url
from groups.models import GROUP_KINDS, VISIBILITIES, Group, Membership

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Path segments under /groups/ that a slug must not take.
RESERVED_SLUGS = frozenset({"new", "nieuw", "dashboard"})


class GroupError(ValueError):
    """An operation that cannot be done; `message` is shown to the member, next to the
    form field named `field` when there is one."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- regional groups (seed) ----------------------------------------------------------


def ensure_regional_groups() -> int:
    """One regional group (visibility `members`) per region; idempotent."""
    existing = set(db.session.scalars(select(Group.region_id).where(Group.kind == "regional")))
    created = 0
    for region in db.session.scalars(select(Region).order_by(Region.position)):
        if region.id in existing:
            continue
        db.session.add(
            Group(
                slug=f"regio-{region.key}",
                name=f"Regio {region.name_nl}",
                name_en=f"Region {region.name_en}",
                description=(
                    f"De regionale groep voor professionals in veiligheidsregio {region.name_nl}."
                ),
                kind="regional",
                visibility="members",
                region_id=region.id,
            )
        )
        created += 1
    db.session.flush()
    return len(existing) + created


# --- creating groups -----------------------------------------------------------------


@dataclass(frozen=True)
class NewGroup:
    name: str
    slug: str
    description: str
    kind: str
    visibility: str
    name_en: str = ""
    region_id: int | None = None


def slugify(value: str) -> str:
    """'Casuïstiek Rotterdam-Rijnmond' -> 'casuistiek-rotterdam-rijnmond'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def create_group(data: NewGroup, actor: User | None) -> Group:
    """Create a thematic, regional or intervision group (admins). The slug is taken from
    the name when left empty; it must be unique and not a reserved path."""
    if data.kind not in GROUP_KINDS:
        raise GroupError(_l("Kies een soort groep."), "kind")
    if data.visibility not in VISIBILITIES:
        raise GroupError(_l("Kies wie de groep kan zien."), "visibility")
    if data.kind == "regional" and not data.region_id:
        raise GroupError(_l("Kies de regio van een regionale groep."), "region")
    slug = (data.slug or slugify(data.name)).strip().lower()
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise GroupError(
            _l(
                "Gebruik voor het webadres kleine letters, cijfers en streepjes (bijvoorbeeld online-radicalisering)."
            ),
            "slug",
        )
    if db.session.scalar(select(Group.id).where(Group.slug == slug)) is not None:
        raise GroupError(_l("Er bestaat al een groep met dit webadres."), "slug")
    group = Group(
        slug=slug,
        name=clean_line(data.name),
        name_en=clean_line(data.name_en),
        description=data.description.strip(),
        kind=data.kind,
        visibility=data.visibility,
        region_id=data.region_id,
        member_count=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(group)
    except IntegrityError as exc:  # the same slug created concurrently
        raise GroupError(_l("Er bestaat al een groep met dit webadres."), "slug") from exc
    record_audit(
        actor,
        "group.create",
        "group",
        group.id,
        details={"slug": slug, "kind": data.kind, "visibility": data.visibility},
    )
    return group


# --- member counts and state changes -------------------------------------------------


def _adjust_member_count(group: Group, delta: int) -> None:
    db.session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(member_count=Group.member_count + delta)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(group, ["member_count"])


def recount_members(group: Group) -> int:
    """Set `member_count` from the memberships (repairs a count; seeds use it)."""
    count = (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.group_id == group.id, Membership.status == "active"
            )
        )
        or 0
    )
    group.member_count = count
    db.session.flush()
    return count


def _transition(membership: Membership, from_statuses: tuple[str, ...], **values) -> bool:
    """Change a membership only if it is still in one of `from_statuses`."""
    db.session.flush()
    result = db.session.execute(
        update(Membership)
        .where(Membership.id == membership.id, Membership.status.in_(from_statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(membership)
    changed = result.rowcount == 1
    if changed and values.get("status") == "active":
        _adjust_member_count(membership.group, +1)
    return changed


def _remove(membership: Membership, only_status: str | None = None) -> bool:
    """Delete a membership row (only while it has `only_status`, when given); lowers the
    count if it was active. False when it was gone or had changed meanwhile."""
    group = membership.group
    db.session.flush()
    statuses = [only_status] if only_status else ["active", "requested", "invited"]
    removed = was_active = False
    for status in statuses:
        deleted = db.session.execute(
            delete(Membership)
            .where(Membership.id == membership.id, Membership.status == status)
            .execution_options(synchronize_session=False)
        ).rowcount
        if deleted:
            removed, was_active = True, status == "active"
            break
    if membership in db.session:
        db.session.expunge(membership)
    db.session.expire(group, ["memberships"])
    if was_active:
        _adjust_member_count(group, -1)
    return removed


def _membership(group: Group, user: User) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(Membership.group_id == group.id, Membership.user_id == user.id)
    )


def _new_membership(group: Group, user: User, status: str, **values) -> Membership | None:
    """Insert a membership; None when a concurrent request inserted one first."""
    # Ids, not relationships: a refused insert must not linger in `group.memberships`.
    membership = Membership(group_id=group.id, user_id=user.id, status=status, **values)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:
        return None
    if status == "active":
        _adjust_member_count(group, +1)
    return membership


# --- a member's own actions ----------------------------------------------------------


def join_group(user: User, group: Group) -> Membership:
    """Join an open group with one click (idempotent)."""
    if group.visibility != "members":
        raise GroupError(_l("Voor deze groep moet je een verzoek doen."))
    membership = _membership(group, user)
    if membership is None:
        membership = _new_membership(group, user, "active") or _membership(group, user)
    elif membership.status != "active":
        _transition(membership, ("requested", "invited"), status="active")
    return membership


def request_to_join(user: User, group: Group) -> Membership:
    """Ask to join a closed group; a coordinator decides. An open invitation is accepted
    at once instead."""
    if group.visibility != "closed":
        raise GroupError(_l("Voor deze groep kun je geen verzoek doen."))
    membership = _membership(group, user)
    if membership is None:
        return _new_membership(group, user, "requested") or _membership(group, user)
    if membership.status == "invited":
        _transition(membership, ("invited",), status="active")
    return membership


def leave_group(user: User, group: Group) -> bool:
    """Leave a group, withdraw a join request or turn down an invitation."""
    membership = _membership(group, user)
    if membership is None:
        return False
    return _remove(membership)


def accept_invitation(user: User, group: Group) -> Membership:
    """Become a member of the group one was invited to."""
    membership = _membership(group, user)
    if membership is None or membership.status not in {"invited", "active"}:
        raise GroupError(_l("Deze uitnodiging is niet meer geldig."))
    _transition(membership, ("invited",), status="active")
    return membership


def decline_invitation(user: User, group: Group) -> bool:
    """Turn an invitation down; the group forgets it (a secret group is 404 again)."""
    membership = _membership(group, user)
    if membership is None:
        return False
    return _remove(membership, only_status="invited")


# --- coordinators and admins ---------------------------------------------------------


def _notify(user: User, template: str, subject, context: dict) -> None:
    """Service email to a member in their language (nobody to tell once they left)."""
    if user.email and user.is_active_member:
        queue_email(
            user.email,
            template,
            subject=subject,
            context={"user": user, **context},
            locale=user.language,
        )


def _group_url(group: Group) -> str:
    return external_url("groups.show_group", slug=group.slug)


def approve_request(membership: Membership, actor: User) -> bool:
    """Let a requester in and tell them by email. False if someone decided already."""
    if not _transition(membership, ("requested",), status="active", decided_by_id=actor.id):
        return False
    user, group = membership.user, membership.group
    _notify(
        user,
        "groups/request_approved",
        _l("Je bent toegelaten tot %(group)s", group=group.name),
        {"group": group, "group_url": _group_url(group)},
    )
    return True


def decline_request(membership: Membership, actor: User) -> bool:
    """Turn a join request down and tell the requester by email."""
    user, group = membership.user, membership.group
    if not _remove(membership, only_status="requested"):
        return False
    _notify(
        user,
        "groups/request_declined",
        _l("Je verzoek voor %(group)s", group=group.name),
        {"group": group, "groups_url": external_url("groups.list_groups")},
    )
    return True


def find_invitee(value: str) -> User | None:
    """An active member by email address or member number."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        user = db.session.get(User, int(value))
    else:
        user = db.session.scalar(select(User).where(func.lower(User.email) == value.lower()))
    return user if user is not None and user.is_active_member else None


def invite_member(group: Group, invitee: User, actor: User) -> str:
    """Invite a member to a closed or secret group and email them.

    Returns "invited", "approved" (they had asked to join: now they are in),
    "already-invited" or "already-member".
    """
    if group.visibility == "members":
        raise GroupError(_l("In een open groep kan iedereen zelf lid worden."))
    membership = _membership(group, invitee)
    if membership is not None:
        if membership.status == "active":
            return "already-member"
        if membership.status == "invited":
            return "already-invited"
        return "approved" if approve_request(membership, actor) else "already-member"
    if _new_membership(group, invitee, "invited", decided_by_id=actor.id) is None:
        return "already-invited"
    _notify(
        invitee,
        "groups/invited",
        _l("Uitnodiging voor %(group)s", group=group.name),
        {"inviter": actor, "group": group, "group_url": _group_url(group)},
    )
    return "invited"


def remove_member(membership: Membership, actor: User, reason: str = "") -> bool:
    """Take a member out of a group (coordinators, admins); kept in the audit log."""
    group, user = membership.group, membership.user
    role = membership.role
    if not _remove(membership):
        return False
    record_audit(
        actor,
        "group.member_remove",
        "group",
        group.id,
        subject_user=user,
        reason=reason,
        details={"group": group.slug, "role": role},
    )
    return True


def appoint_coordinator(group: Group, user: User, actor: User) -> Membership:
    """Make `user` a coordinator of `group` (admins); a non-member becomes a member."""
    membership = _membership(group, user)
    if membership is None:
        membership = _new_membership(group, user, "active", role="coordinator") or _membership(
            group, user
        )
    elif membership.status != "active":
        _transition(membership, ("requested", "invited"), status="active")
    membership.role = "coordinator"
    membership.decided_by_id = actor.id
    db.session.flush()
    record_audit(
        actor,
        "group.coordinator_appoint",
        "group",
        group.id,
        subject_user=user,
        details={"group": group.slug},
    )
    return membership


def revoke_coordinator(membership: Membership, actor: User) -> bool:
    """Make a coordinator an ordinary member again (admins)."""
    if membership.role != "coordinator":
        return False
    membership.role = "member"
    db.session.flush()
    record_audit(
        actor,
        "group.coordinator_revoke",
        "group",
        membership.group_id,
        subject_user=membership.user,
        details={"group": membership.group.slug},
    )
    return True


def leave_all_groups(sender=None, *, user, **extra) -> None:
    """`account_deleting` receiver: leave every group through `leave_group`, so each
    group's member count stays right."""
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    for membership in list(memberships):
        leave_group(user, membership.group)
