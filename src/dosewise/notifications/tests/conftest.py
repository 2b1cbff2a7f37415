"""Helpers of the outbox tests: a clock that stands at a time of day when texts may be sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

# Noon in Chicago (the test clinics' zone) on an ordinary weekday.
DAYTIME = datetime(2026, 6, 10, 17, 0, tzinfo=UTC)


@pytest.fixture
def daytime():
    """Travel to DAYTIME (the clock keeps ticking from there), so quiet hours do not hold texts."""
    with time_machine.travel(DAYTIME, tick=True) as traveller:
        yield traveller
