"""Webhook endpoints and deliveries as the domain sees them: secrets, rotation, failures, retries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from app.domain.delivery import Delivery, DeliveryStatus, Outcome, RetrySchedule
from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.events import Audience
from app.domain.webhook import GONE_REASON, SECRET_GRACE, WebhookEndpoint

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ORG = Audience(org_id=uuid.uuid4())


def test_the_default_schedule_tries_fifteen_times_over_about_three_days_from_5_s_to_10_h() -> None:
    schedule = RetrySchedule()
    delays = [schedule.delay_after(n, 0.5) for n in range(1, 16)]
    assert delays[-1] is None and None not in delays[:-1]
    waits = [d for d in delays if d is not None]
    assert waits[0] == timedelta(seconds=5) and waits[1] == timedelta(seconds=15)
    assert max(waits) == timedelta(hours=10) and waits == sorted(waits)
    assert timedelta(days=2) < sum(waits, timedelta()) < timedelta(days=3)


def test_jitter_spreads_a_delay_by_at_most_a_fifth_either_way() -> None:
    schedule = RetrySchedule()
    assert schedule.delay_after(3, 0.0) == timedelta(seconds=45 * 0.8)
    assert schedule.delay_after(3, 0.999) < timedelta(seconds=45 * 1.2)


def test_a_new_endpoint_has_a_standard_webhooks_secret_that_signs() -> None:
    endpoint = WebhookEndpoint.create(ORG, "https://hooks.example.com/tandem")
    assert endpoint.secret.startswith("whsec_")
    signature = Webhook(endpoint.secret).sign("msg_1", NOW, "{}")
    assert signature.startswith("v1,")


@pytest.mark.parametrize("url", ["ftp://x.example.com", "https://", "https://user:pw@x.example.com/", "x" * 10])
def test_a_url_that_is_not_a_plain_http_url_is_refused(url: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        WebhookEndpoint.create(ORG, url)
    assert (refused.value.code, refused.value.field) == ("invalid_webhook_url", "url")


def test_an_unknown_event_type_in_the_filter_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        WebhookEndpoint.create(ORG, "https://x.example.com", event_types=frozenset({"tandem.eaten"}))
    assert refused.value.code == "invalid_event_type"


def test_a_rotated_secret_signs_alongside_the_new_one_for_a_day() -> None:
    endpoint = WebhookEndpoint.create(ORG, "https://x.example.com")
    old = endpoint.secret
    new = endpoint.rotate_secret(NOW)
    assert new != old and endpoint.signing_secrets(NOW) == [new, old]
    assert endpoint.signing_secrets(NOW + SECRET_GRACE) == [new]


def test_410_gone_disables_the_endpoint_with_the_reason() -> None:
    endpoint = WebhookEndpoint.create(ORG, "https://x.example.com")
    endpoint.failed(NOW, gone=True, disable_after=timedelta(days=3))
    assert not endpoint.enabled and endpoint.disabled_reason == GONE_REASON
    assert not endpoint.wants("tandem.proposed")
    endpoint.change(enabled=True)
    assert endpoint.enabled and endpoint.disabled_reason is None


def test_an_endpoint_failing_for_three_days_is_disabled_and_a_success_resets_the_count() -> None:
    endpoint = WebhookEndpoint.create(ORG, "https://x.example.com")
    three_days = timedelta(days=3)
    endpoint.failed(NOW, gone=False, disable_after=three_days)
    endpoint.delivered()
    endpoint.failed(NOW + timedelta(days=2), gone=False, disable_after=three_days)
    endpoint.failed(NOW + timedelta(days=4), gone=False, disable_after=three_days)
    assert endpoint.enabled, "two days of failures since the last success"
    endpoint.failed(NOW + timedelta(days=5), gone=False, disable_after=three_days)
    assert not endpoint.enabled and "3 days" in (endpoint.disabled_reason or "")


def test_a_delivery_retries_until_out_of_tries_then_fails_and_can_be_redelivered() -> None:
    schedule = RetrySchedule(max_attempts=2)
    delivery = Delivery(endpoint_id=uuid.uuid4(), event_id=uuid.uuid4(), event_type="tandem.proposed")
    delivery.record(Outcome(500, 12, "HTTP 500"), NOW, schedule, 0.5)
    assert delivery.pending and delivery.next_attempt_at == NOW + timedelta(seconds=5)
    with pytest.raises(InvalidTransition):
        delivery.redeliver(NOW)
    delivery.record(Outcome(None, 10_000, "no answer"), NOW, schedule, 0.5)
    assert delivery.status is DeliveryStatus.FAILED and delivery.next_attempt_at is None
    delivery.redeliver(NOW)
    assert delivery.pending and delivery.attempts == 0 and delivery.next_attempt_at == NOW


def test_a_2xx_succeeds_and_a_410_fails_at_once() -> None:
    ok = Delivery(endpoint_id=uuid.uuid4(), event_id=uuid.uuid4(), event_type="ping")
    ok.record(Outcome(204, 3), NOW, RetrySchedule(), 0.5)
    assert ok.status is DeliveryStatus.SUCCEEDED and ok.next_attempt_at is None
    gone = Delivery(endpoint_id=uuid.uuid4(), event_id=uuid.uuid4(), event_type="ping")
    gone.record(Outcome(410, 3, "HTTP 410"), NOW, RetrySchedule(), 0.5)
    assert gone.status is DeliveryStatus.FAILED
