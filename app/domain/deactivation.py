"""Deactivation: the organization's identity provider says a person left (or is suspended).

What ends: every sign-in of their accounts (the caller revokes the sessions), their open
enrollments (withdrawn) and open tandems (a proposal declined, a running or paused one dissolved,
with the reason below, so the partner side and managers learn of it through the usual events).
What stays: the profile and all history, for the program's records, until someone erases it.
Reactivation restores sign-in only: withdrawn enrollments and ended tandems stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enrollment import Enrollment
from app.domain.person import Person
from app.domain.tandem import Tandem
from app.domain.user import User

REASON = "the participant was deactivated by the organization's identity provider"
SESSION_REVOCATION_REASON = "account_deactivated"


@dataclass(frozen=True, slots=True)
class Ended:
    """What a deactivation changed, for the caller to save."""

    users: tuple[User, ...]
    person_changed: bool
    tandems: tuple[Tandem, ...]
    enrollments: tuple[Enrollment, ...]


def deactivate(users: list[User], person: Person | None, enrollments: list[Enrollment], tandems: list[Tandem]) -> Ended:
    """End what a deactivated person had open. Tandems first: an enrollment with an open tandem
    cannot be left. ``actor`` of the tandems' history is none: the provider is no Tandem user."""
    changed_users = tuple(u for u in users if u.deactivate())
    person_changed = person.deactivate() if person is not None else False
    ended = []
    for tandem in tandems:
        if tandem.is_open:
            tandem.end(None, REASON)
            ended.append(tandem)
    withdrawn = []
    for enrollment in enrollments:
        if enrollment.is_active:
            enrollment.withdraw()
            withdrawn.append(enrollment)
    return Ended(changed_users, person_changed, tuple(ended), tuple(withdrawn))


def reactivate(users: list[User], person: Person | None) -> bool:
    """Sign-in again; nothing that deactivation ended comes back. True when anything changed."""
    changed = [u.reactivate() for u in users]
    return any(changed) | (person.reactivate() if person is not None else False)
