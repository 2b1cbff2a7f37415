"""Counters per client address in the shared cache (the database cache: every web process
and restart sees the same counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class AddressThrottle:
    """At most `limit` counted events per address in a window of `window_seconds`, which starts
    at the first event (a fixed window: simple, and it cannot be kept open by waiting)."""

    name: str
    window_seconds: int

    def _key(self, address: str | None) -> str:
        return f"dosewise:throttle:{self.name}:{address or 'unknown'}"

    def count(self, address: str | None) -> int:
        """Return how many events the address has in its current window."""
        return cache.get(self._key(address)) or 0

    def exceeded(self, address: str | None, limit: int) -> bool:
        """Return whether the address has used up `limit` events in its current window."""
        return self.count(address) >= limit

    def hit(self, address: str | None) -> int:
        """Count one event for the address and return its count in the window."""
        key = self._key(address)
        if cache.add(key, 1, timeout=self.window_seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            # The window ended between add and incr: this event opens the next one.
            cache.set(key, 1, timeout=self.window_seconds)
            return 1
