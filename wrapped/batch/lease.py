"""Leases: a run's RPM/TPM budget booked in batches, so no LLM call waits on a round trip.

Why leases and not shards. One budget actor booking every call serialised the whole run at
~1,300 bookings/s, whatever the cluster's size (issue 25). Sharding the budget (k actors, each
with 1/k of the limit) still costs two round trips per call and strands capacity: an idle
shard's share is lost unless shards rebalance, and a 429 must then reach every shard. A lease
keeps ONE exact ledger (the `LeaseBook`, held by the run's budget actor) and moves the
round trips off the hot path: a worker books a few hundred milliseconds' worth of requests and
tokens at once (sized from its own recent rate), spends them locally under a lock (a few
microseconds), and hands back what it did not use, all in one `exchange` per lease.

Exactness (the tolerance, documented in docs/scale.md): the book is a token bucket of `burst_s`
seconds' worth that may go into debt; a lease booked into debt only becomes spendable when the
debt is paid (its `start`), so leases are served in booking order at exactly the limit's rate.
A lease is spendable for `ttl` seconds from its start and is then handed back. So over any
window of d seconds a run sends at most `rate * (d + ttl) + capacity`, and the bucket's
capacity is `rate * (burst_s - ttl)`: at most the limit's one-second allowance, as one shared
`RateLimiter` allowed (`rate * d + rate * burst_s`). Token estimates are corrected with real
usage at the next exchange (a worker's owed tokens go back to the book as a charge).

429s: a worker that sees one reports it (`penalize`); the book pauses every grant for the
Retry-After (by putting its buckets that far into debt) and bumps its epoch; each holder drops
what it holds at its next exchange (an older epoch), and its lease size starts small again.

Both halves take a clock (`time.monotonic` by default) so tests can drive time by hand.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple

#: a lease is a worker's expected use over this many seconds
LEASE_S = 0.25
#: a lease may be spent for this long after its start, then what is left goes back
TTL_S = 0.5
#: how long a 429 without a Retry-After pauses the run, and the longest pause any 429 buys
DEFAULT_PAUSE_S = 1.0
MAX_PAUSE_S = 60.0


class Grant(NamedTuple):
    """One lease, as the book hands it out. Times are relative (seconds from the answer),
    because the book and the holder may run on different machines with different clocks."""

    requests: int
    tokens: int
    start_in: float
    ttl: float
    epoch: int


class Ask(NamedTuple):
    """What a holder sends in one exchange: the lease it wants, and its report since the last
    exchange (tokens at their estimates, corrected by `owed_tokens` once the bills are in)."""

    requests: int
    tokens: int
    back_requests: int = 0
    back_tokens: int = 0
    spent_requests: int = 0
    spent_tokens: int = 0
    owed_tokens: int = 0
    epoch: int = 0


class _Bucket:
    """A token bucket that may go into debt (the queue of booked leases), and that counts what
    holders have in hand against its capacity: `level + held <= capacity` at all times, so
    capacity accrued while leases were out cannot come back as a burst."""

    def __init__(self, per_s: float, capacity: float, now: float) -> None:
        self.rate = per_s
        self.capacity = max(1.0, capacity)
        self.level = self.capacity
        self.held = 0.0  # granted, not yet reported spent nor handed back (an upper bound)
        self.stamp = now

    def _refill(self, now: float) -> None:
        room = self.capacity - max(0.0, self.held)
        self.level = min(max(room, self.level), self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def book(self, amount: float, now: float) -> float:
        """Hand out `amount`; seconds until it is paid for (0 when there was capacity)."""
        self._refill(now)
        self.level -= amount
        self.held += amount
        return 0.0 if self.level >= 0 else -self.level / self.rate

    def report(self, back: float, spent: float, owed: float, now: float) -> None:
        """A holder handed `back` unspent, spent `spent` (estimates) and owes `owed` more than
        its estimates (negative: its calls cost less)."""
        self._refill(now)
        self.held -= back + spent
        self.level += back - owed

    def pause_until(self, until: float, now: float) -> None:
        """No capacity before `until`: the level becomes at most that many seconds of debt."""
        self._refill(now)
        self.level = min(self.level, -(until - now) * self.rate)


class LeaseBook:
    """The run's one ledger (lives in the budget actor). `rpm`/`tpm` None = unlimited."""

    def __init__(
        self,
        rpm: int | None,
        tpm: int | None,
        *,
        burst_s: float = 1.0,
        lease_s: float = LEASE_S,
        ttl: float = TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rpm, self.tpm = rpm, tpm
        self.lease_s, self.ttl = lease_s, ttl
        self._clock = clock
        now = clock()
        self._req = _Bucket(rpm / 60, rpm / 60 * burst_s, now) if rpm else None
        self._tok = _Bucket(tpm / 60, tpm / 60 * burst_s, now) if tpm else None
        self._paused_until = now
        self.epoch = 0
        self._moved = now - lease_s  # when the epoch last moved
        self.granted_requests = 0  # net of returns: what the run may have sent
        self.granted_tokens = 0  # ... and of the real usage reported
        self.exchanges = 0

    def exchange(self, ask: Ask) -> Grant:
        """Take a holder's report (what it handed back, spent, owes), and book its next lease.
        A holder on an older epoch gets an empty grant that tells it so."""
        now = self._clock()
        self.exchanges += 1
        self.granted_requests -= ask.back_requests
        self.granted_tokens += ask.owed_tokens - ask.back_tokens
        for bucket, back, spent, owed in (
            (self._req, ask.back_requests, ask.spent_requests, 0),
            (self._tok, ask.back_tokens, ask.spent_tokens, ask.owed_tokens),
        ):
            if bucket is not None:
                bucket.report(back, spent, owed, now)
                if self._paused_until > now:  # capacity handed back must not end a pause
                    bucket.pause_until(self._paused_until, now)
        if ask.epoch != self.epoch:
            return Grant(0, 0, 0.0, self.ttl, self.epoch)
        req = self._clip(ask.requests, self._req)
        tok = self._clip(ask.tokens, self._tok)
        wait = max(0.0, self._paused_until - now)
        if self._req is not None and req:
            wait = max(wait, self._req.book(req, now))
        if self._tok is not None and tok:
            wait = max(wait, self._tok.book(tok, now))
        self.granted_requests += req
        self.granted_tokens += tok
        return Grant(req, tok, wait, self.ttl, self.epoch)

    def _clip(self, ask: int, bucket: _Bucket | None) -> int:
        """At most a lease's worth of the limit (and never more than the bucket holds)."""
        ask = max(0, ask)
        if bucket is None:
            return ask
        return min(ask, max(1, math.ceil(min(bucket.capacity, bucket.rate * self.lease_s))))

    def penalize(self, retry_after: float | None) -> int:
        """A worker saw a 429: no grant starts before its Retry-After (at most `MAX_PAUSE_S`)
        is over, and every holder drops its lease (a new epoch). Many workers reporting one
        overload pause the run once: the epoch moves on only when the pause grows, or a
        lease period after the last move."""
        now = self._clock()
        after = DEFAULT_PAUSE_S if retry_after is None else retry_after
        until = now + min(MAX_PAUSE_S, max(0.0, after))
        longer = until > self._paused_until
        if longer:
            self._paused_until = until
            for bucket in (self._req, self._tok):
                if bucket is not None:
                    bucket.pause_until(until, now)
        if longer or now - self._moved >= self.lease_s:
            self.epoch += 1
            self._moved = now
        return self.epoch


class _Lease:
    __slots__ = ("requests", "tokens", "start", "expires")

    def __init__(self, requests: int, tokens: int, start: float, expires: float) -> None:
        self.requests, self.tokens, self.start, self.expires = requests, tokens, start, expires


class Take(NamedTuple):
    """`LeaseHolder.take`'s answer: `ok`, or how long to wait (`wait_s` > 0: a held lease
    starts then; 0: wait for the exchange in flight), and an exchange to send, if one is due."""

    ok: bool
    wait_s: float
    send: Ask | None


class LeaseHolder:
    """A worker's side of the leases: spend locally, ask for the next lease before this one
    runs out, hand back what expired. Thread-safe; no I/O (the caller sends `Take.send` and
    calls `granted`/`failed` with the answer), so it runs under a fake clock in tests.

    Requests are always counted (the book's ledger, and the lease size, need them); tokens only
    when the run has a TPM limit."""

    def __init__(
        self,
        rpm: int | None,
        tpm: int | None,
        *,
        lease_s: float = LEASE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit_tokens = bool(tpm)
        self.lease_s = lease_s
        self._clock = clock
        self._lock = threading.Lock()
        self._hand = _Lease(0, 0, 0.0, 0.0)  # started leases, pooled: spent from here
        self._next: deque[_Lease] = deque()  # a booked lease that has not started yet
        self._back_req = 0  # expired, unspent: handed back at the next exchange
        self._back_tok = 0
        self._owed_tokens = 0  # real usage above the estimates (negative: below), not yet told
        self._pending = False
        self._epoch = 0
        self._since = clock()  # last exchange sent
        self._next_check = self._since  # no exchange is due before this ...
        self._low = self._low_tok = math.inf  # ... unless less than this is in hand
        self._spent_req = 0  # since then
        self._spent_tok = 0
        self._rate_req = 0.0  # requests/s and tokens/s, smoothed over exchanges
        self._rate_tok = 0.0
        self._max_tok = 0  # the largest request seen, so that a lease holds at least one
        self._dry = False  # a caller found nothing in hand since the last exchange
        self.exchanges = 0

    def take(self, tokens: int = 0) -> Take:
        """Spend one request of ~`tokens` from the lease in hand, if it allows it now."""
        with self._lock:
            now = self._clock()
            hand = self._hand
            while self._next and self._next[0].start <= now:  # a booked lease has started
                lease = self._next.popleft()
                if hand.expires <= now:
                    self._expire(hand)
                hand.requests += lease.requests
                hand.tokens += lease.tokens
                hand.expires = lease.expires
            if hand.expires <= now and (hand.requests or hand.tokens):
                self._expire(hand)
            if hand.requests >= 1 and (not self.limit_tokens or hand.tokens > 0):
                hand.requests -= 1
                self._spent_req += 1
                if self.limit_tokens:
                    hand.tokens -= tokens  # may go below 0: the overdraft is charged on return
                    self._spent_tok += tokens
                    if tokens > self._max_tok:
                        self._max_tok = tokens
                # the common case, in two comparisons: plenty in hand, nothing due
                if (
                    hand.requests > self._low
                    and hand.tokens > self._low_tok
                    and now < self._next_check
                    and not self._next
                ):
                    return Take(True, 0.0, None)
                return Take(True, 0.0, self._due(now, tokens))
            if self._next:
                return Take(False, self._next[0].start - now, self._due(now, tokens))
            self._dry = True
            return Take(False, 0.0, self._due(now, tokens))

    def held(self) -> tuple[int, int]:
        """Requests and tokens in hand or booked (not yet started)."""
        with self._lock:
            leases = (self._hand, *self._next)
            return sum(lz.requests for lz in leases), sum(lz.tokens for lz in leases)

    def _expire(self, lease: _Lease) -> None:
        """What is left of `lease` goes back at the next exchange."""
        self._back_req += max(0, lease.requests)
        self._back_tok += lease.tokens
        lease.requests = lease.tokens = 0

    def _due(self, now: float, tokens: int) -> Ask | None:
        """An exchange to send now, if none is in flight and what is held runs low (leases
        not started yet count as held: a worker paced by the book waits, it does not ask),
        or a lease period has passed since the last one (how a 429 elsewhere reaches us)."""
        if self._pending:
            return None
        hand = self._hand
        held_req = hand.requests + sum(lz.requests for lz in self._next)
        held_tok = max(0, hand.tokens) + sum(lz.tokens for lz in self._next)
        want_req, want_tok = self._want(tokens)
        paced = bool(self._next)  # the book makes us wait: wait, do not ask
        low = not paced and (
            held_req < want_req / 2 or (self.limit_tokens and held_tok < want_tok / 2)
        )
        if not low and now - self._since < self.lease_s:
            return None
        # over at least half a lease period: a queue drained at a lease's start is no rate
        dt = max(self.lease_s / 2, now - self._since)
        a = 0.5 if self.exchanges else 1.0
        self._rate_req = (1 - a) * self._rate_req + a * self._spent_req / dt
        self._rate_tok = (1 - a) * self._rate_tok + a * self._spent_tok / dt
        want_req, want_tok = self._want(tokens)
        self._pending = True
        self._dry = False
        self.exchanges += 1
        ask = Ask(
            max(0, want_req - held_req) if low else 0,
            max(0, want_tok - held_tok) if low and self.limit_tokens else 0,
            *self._report(now),
        )
        return ask

    def _report(self, now: float) -> tuple[int, int, int, int, int, int]:
        """Handed back, spent and owed since the last exchange, and the epoch; then zeroed."""
        out = (self._back_req, self._back_tok, self._spent_req, self._spent_tok,
               self._owed_tokens, self._epoch)  # fmt: skip
        self._back_req = self._back_tok = self._owed_tokens = 0
        self._since, self._spent_req, self._spent_tok = now, 0, 0
        self._next_check = now + self.lease_s
        self._low = self._low_tok = math.inf  # until the answer is in
        return out

    def _want(self, tokens: int) -> tuple[int, int]:
        """A lease's worth of the recent rate, with room to ask for the next one in time
        (twice that when callers ran dry); tokens for at least two of the largest requests."""
        grow = 3.0 if self._dry else 1.5
        req = max(4, math.ceil(self._rate_req * self.lease_s * grow))
        tok = max(2 * max(tokens, self._max_tok), math.ceil(self._rate_tok * self.lease_s * grow))
        return req, tok

    def granted(self, grant: Grant) -> None:
        """Put a lease from the book in hand (or, on a new epoch, drop everything held)."""
        with self._lock:
            now = self._clock()
            self._pending = False
            if grant.epoch != self._epoch:
                self._drop(grant.epoch)
            elif grant.requests or grant.tokens:
                start = now + grant.start_in
                self._next.append(_Lease(grant.requests, grant.tokens, start, start + grant.ttl))
            want_req, want_tok = self._want(0)
            self._low = want_req / 2
            self._low_tok = want_tok / 2 if self.limit_tokens else -math.inf

    def _drop(self, epoch: int) -> None:
        """A 429 somewhere in the run: hand back everything held and start small again."""
        self._expire(self._hand)
        while self._next:
            self._expire(self._next.popleft())
        self._epoch = epoch
        self._rate_req = self._rate_tok = 0.0

    def failed(self) -> None:
        """The exchange was lost (the budget actor is gone): allow another."""
        with self._lock:
            self._pending = False

    def settle(self, reserved: int, actual: int) -> None:
        """Real usage of a finished call: the difference is told to the book next time."""
        if self.limit_tokens and actual > 0:
            with self._lock:
                self._owed_tokens += actual - reserved

    def penalize(self, epoch: int) -> None:
        """This worker saw a 429 and the book answered with `epoch`: drop what is held now."""
        with self._lock:
            if epoch != self._epoch:
                self._drop(epoch)

    def give_back(self) -> Ask:
        """Everything held and owed, for a last exchange that asks for nothing."""
        with self._lock:
            self._expire(self._hand)
            while self._next:
                self._expire(self._next.popleft())
            return Ask(0, 0, *self._report(self._clock()))
