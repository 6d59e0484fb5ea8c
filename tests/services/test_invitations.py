"""services/invitations called directly: issue, open, claim (the link is exchanged for a token of
this browser), accept (spends the link), and every reason a link is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Invitation, LoginSession, utcnow
from app.services import invitations, sessions
from app.services.errors import ServiceError
from app.services.invitations import InvitationRefused
from app.services.passwords import verify_password
from tests.factories import make_unit, make_user

NEW_PASSWORD = "Sandi-baru-2026"


@pytest.fixture
def person(ctx):
    return make_user(make_unit(), password=None, name="Dewi Undangan", email="dewi@contoh.go.id")


def commit() -> None:
    """Commit and forget what the session holds, as the next request would: the services change
    rows with UPDATE statements that do not touch the objects already loaded."""
    db.session.commit()
    db.session.expire_all()


def refusal(token: str) -> str:
    with pytest.raises(InvitationRefused) as refused:
        invitations.open_invitation(token)
    return refused.value.reason


def test_issue_makes_a_pending_link_that_opens(person):
    invitation = invitations.issue(person, actor_id=None)
    commit()
    assert invitation.pending and invitation.user_id == person.id
    assert invitations.open_invitation(invitations.token_for(invitation)).id == invitation.id
    assert invitations.invitation_id_of(invitations.token_for(invitation)) == invitation.id
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_type == "user",
                                                                 AuditEvent.target_id == str(person.id))).all()
    assert actions == ["invitation.issue"]


def test_a_new_link_replaces_the_pending_one(person):
    first = invitations.issue(person, actor_id=None)
    commit()
    old_token = invitations.token_for(first)
    second = invitations.issue(person, actor_id=None)
    commit()
    assert refusal(old_token) == "replaced"
    assert invitations.open_invitation(invitations.token_for(second)).id == second.id
    assert [i.id for i in invitations.pending_for([person])] == [second.id]


@pytest.mark.parametrize("token", ["", "nonsense", "WzEsICJ4Il0.forged", "a" * 300])
def test_tampered_or_unknown_links_are_invalid(person, token):
    invitations.issue(person, actor_id=None)
    commit()
    assert refusal(token) == "invalid"
    assert invitations.invitation_id_of(token) is None


def test_a_well_signed_link_to_no_invitation_is_invalid(person):
    invitation = invitations.issue(person, actor_id=None)
    commit()
    token = invitations.token_for(invitation)
    db.session.delete(invitation)
    commit()
    assert refusal(token) == "invalid"


def test_an_expired_link_is_refused(person):
    invitation = invitations.issue(person, actor_id=None)
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    commit()
    assert refusal(invitations.token_for(invitation)) == "expired"
    assert invitations.pending_for([person]) == []


def test_the_link_of_a_deactivated_person_is_refused(person):
    invitation = invitations.issue(person, actor_id=None)
    person.active = False
    commit()
    assert refusal(invitations.token_for(invitation)) == "inactive"


def test_claiming_moves_the_link_to_this_browser(person):
    invitation = invitations.issue(person, actor_id=None)
    commit()
    shared = invitations.token_for(invitation)
    claimed = invitations.claim(invitations.open_invitation(shared))
    commit()
    assert claimed != shared
    assert refusal(shared) == "opened", "the link as sent no longer works elsewhere"
    assert invitations.open_invitation(claimed).id == invitation.id


def test_accept_sets_the_password_ends_sessions_and_spends_the_link(person):
    invitation = invitations.issue(person, actor_id=None)
    sessions.start_session(person)
    commit()
    token = invitations.claim(invitation)
    commit()
    assert invitations.accept(token, NEW_PASSWORD).id == person.id
    commit()
    assert verify_password(person.password_hash, NEW_PASSWORD)
    assert db.session.get(Invitation, invitation.id).used_at is not None
    assert db.session.scalars(select(LoginSession).where(LoginSession.ended_at.is_(None))).all() == []
    assert refusal(token) == "used"
    assert invitations.pending_for([person]) == []


def test_a_refused_password_leaves_the_link_unspent(person):
    invitation = invitations.issue(person, actor_id=None)
    commit()
    token = invitations.token_for(invitation)
    for weak in ("pendek1", "hanyahurufsaja", "Dewi-Undangan-1"):  # too short, no digit, the person's name
        with pytest.raises(ServiceError) as refused:
            invitations.accept(token, weak)
        assert refused.value.field == "password"
        db.session.rollback()
    assert person.password_hash is None
    assert invitations.open_invitation(token).used_at is None


def test_pending_for_nobody_is_empty(ctx):
    assert invitations.pending_for([]) == []
