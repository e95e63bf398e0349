"""Webhook deliveries: one event to one endpoint, tried until the receiver takes it or time runs out.

Retries back off exponentially with jitter (``RetrySchedule``), so a receiver that is down is not
hammered and many deliveries that failed together do not all come back at the same second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import InvalidTransition


@dataclass(frozen=True, slots=True)
class RetrySchedule:
    """Delays between tries: ``base``, then three times longer each time, never above ``cap``.

    The defaults give 15 tries over about two and a half days (5 s, 15 s, 45 s, ... 9 h, then
    10 h); an endpoint failing for three days is disabled anyway.
    """

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(hours=10)
    max_attempts: int = 15
    factor: float = 3.0
    jitter: float = 0.2  # each delay is stretched or shrunk by up to this fraction

    def delay_after(self, attempts: int, spread: float) -> timedelta | None:
        """The wait before the next try after ``attempts`` failed tries; None when none is left.

        ``spread`` in [0, 1) picks the jitter (0.5: none), so the schedule stays a pure function.
        """
        if attempts >= self.max_attempts:
            return None
        seconds = min(self.base.total_seconds() * self.factor ** max(attempts - 1, 0), self.cap.total_seconds())
        return timedelta(seconds=seconds * (1 + self.jitter * (2 * spread - 1)))


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for its next try
    SUCCEEDED = "succeeded"  # the receiver answered 2xx
    FAILED = "failed"  # out of tries, or the receiver is gone; a redelivery tries again


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one try got: a status code (None when no answer came), how long it took, why it failed."""

    status_code: int | None
    duration_ms: int
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


@dataclass(eq=False)
class Delivery:
    endpoint_id: UUID
    event_id: UUID
    event_type: str
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = field(default_factory=utcnow)
    last_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_duration_ms: int | None = None
    last_error: str | None = None
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    @property
    def pending(self) -> bool:
        return self.status is DeliveryStatus.PENDING

    def record(self, outcome: Outcome, now: datetime, schedule: RetrySchedule, spread: float) -> None:
        self.attempts += 1
        self.last_attempt_at = self.updated_at = now
        self.last_status_code, self.last_duration_ms, self.last_error = (
            outcome.status_code,
            outcome.duration_ms,
            outcome.error,
        )
        if outcome.ok:
            self.status, self.next_attempt_at = DeliveryStatus.SUCCEEDED, None
            return
        delay = None if outcome.gone else schedule.delay_after(self.attempts, spread)
        if delay is None:
            self.status, self.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            self.next_attempt_at = now + delay

    def give_up(self, reason: str, now: datetime) -> None:
        """No try can succeed (the event is no longer stored): failed, with the reason."""
        self.status, self.next_attempt_at, self.last_error, self.updated_at = DeliveryStatus.FAILED, None, reason, now

    def redeliver(self, now: datetime) -> None:
        """Try again now, with a fresh schedule. A delivery still pending is already on its way."""
        if self.pending:
            raise InvalidTransition("the delivery is still being tried", code="delivery_pending")
        self.status, self.attempts, self.next_attempt_at, self.updated_at = DeliveryStatus.PENDING, 0, now, now
