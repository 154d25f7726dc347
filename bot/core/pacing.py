"""Token buckets for the platforms' rate limits."""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenBucket:
    """``rate`` sends per second on average, up to ``burst`` at once."""

    def __init__(
        self, rate: float, burst: float = 1.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.monotonic = monotonic
        self.tokens = burst
        self.updated = monotonic()

    def _refill(self) -> None:
        now = self.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        """Seconds until one send is allowed (0 when it is allowed now)."""
        self._refill()
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self._refill()
        self.tokens -= 1

    def pause(self, seconds: float) -> None:
        """The platform said "retry after": empty the bucket for that long."""
        self._refill()
        self.tokens = min(self.tokens, 0.0) - seconds * self.rate


class PerKeyBuckets:
    """One bucket per chat, forgetting chats that have been quiet for a while."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: dict[str, TokenBucket] = {}

    def get(self, key: str) -> TokenBucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) > 10_000:
                self._forget_full()
            bucket = self.buckets[key] = TokenBucket(self.rate, self.burst)
        return bucket

    def _forget_full(self) -> None:
        for key in [
            k for k, b in self.buckets.items() if b.wait_time() == 0 and b.tokens >= b.burst
        ]:
            del self.buckets[key]
