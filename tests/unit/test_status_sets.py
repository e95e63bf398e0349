""" "Open" and "matched" are defined once, in the domain, and the database's indexes and the
repositories' queries are written from those definitions."""

from __future__ import annotations

import re

from app.domain.tandem import MATCHED_STATUSES, OPEN_STATUSES, TandemStatus
from app.infra.db.repositories import partners, tandems
from app.infra.db.tables import OPEN_TANDEM


def test_the_partial_indexes_cover_exactly_the_open_statuses() -> None:
    named = set(re.findall(r"'(\w+)'", str(OPEN_TANDEM)))
    assert named == {s.value for s in OPEN_STATUSES}


def test_the_repositories_count_open_and_matched_tandems_as_the_domain_defines_them() -> None:
    assert set(tandems.OPEN) == {s.value for s in OPEN_STATUSES}
    assert set(partners.MATCHED) == {s.value for s in MATCHED_STATUSES}


def test_a_proposal_is_open_but_not_matched_and_a_completed_tandem_the_other_way_round() -> None:
    assert TandemStatus.PROPOSED in OPEN_STATUSES and TandemStatus.PROPOSED not in MATCHED_STATUSES
    assert TandemStatus.COMPLETED in MATCHED_STATUSES and TandemStatus.COMPLETED not in OPEN_STATUSES
    assert not {TandemStatus.DECLINED, TandemStatus.EXPIRED, TandemStatus.DISSOLVED} & {
        *OPEN_STATUSES,
        *MATCHED_STATUSES,
    }
