"""The run's shared budget booked by leases (wrapped.batch.lease, wrapped.batch.budget).

Most tests drive `LeaseBook` and `LeaseHolder` under a fake clock (no sleeping): a small
event loop below plays workers that spend as fast as their leases allow and exchanges that
answer after a round trip. The expected figures come from the limit itself (requests per
second times the window), not from the lease code. One test runs the real Ray actor.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools

import pytest

from wrapped.batch.lease import LeaseBook, LeaseHolder


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Sim:
    """Workers (holders) against one book, time moving in `step` seconds. Each worker wants
    `demand` requests per second (it spends every step while its lease allows); exchanges
    reach the book at once and their answer lands `rtt` later."""

    def __init__(self, rpm, tpm=None, workers=4, rtt=0.002, **book_kw) -> None:
        self.clock = Clock()
        self.book = LeaseBook(rpm, tpm, clock=self.clock, **book_kw)
        self.holders = [LeaseHolder(rpm, tpm, clock=self.clock) for _ in range(workers)]
        self.rtt = rtt
        self._answers: list = []  # (deliver_at, n, holder, grant)
        self._n = itertools.count()
        self.spent: list[float] = []  # the time of every request spent
        self.tokens_spent = 0

    def send(self, holder, ask) -> None:
        if ask is not None:
            grant = self.book.exchange(ask)
            heapq.heappush(self._answers, (self.clock.t + self.rtt, next(self._n), holder, grant))

    def deliver(self) -> None:
        while self._answers and self._answers[0][0] <= self.clock.t:
            _, _, holder, grant = heapq.heappop(self._answers)
            holder.granted(grant)

    def take(self, holder, tokens=0, actual=None) -> bool:
        t = holder.take(tokens)
        self.send(holder, t.send)
        if t.ok:
            self.spent.append(self.clock.t)
            if actual is not None:
                holder.settle(tokens, actual)
                self.tokens_spent += actual
        return t.ok

    def run(self, seconds, demand, step=0.001, tokens=0, actual=None) -> None:
        demands = demand if isinstance(demand, list) else [demand] * len(self.holders)
        owed = [0.0] * len(self.holders)
        end = self.clock.t + seconds
        while self.clock.t < end:
            self.deliver()
            for i, h in enumerate(self.holders):
                per_step = demands[i] * step
                owed[i] = min(owed[i] + per_step, 1000 * per_step)  # callers queue, up to a cap
                while owed[i] >= 1 and self.take(h, tokens, actual):
                    owed[i] -= 1
            self.clock.t += step

    def give_back_all(self) -> None:
        self.clock.t += 1.0
        self.deliver()
        for h in self.holders:
            self.book.exchange(h.give_back())


def counts(times, start, end, width, stride):
    """Requests in every window [a, a + width) for a in start, start + stride, ... < end."""
    times = sorted(times)
    import bisect

    out, a = [], start
    while a + width <= end + 1e-9:
        out.append(bisect.bisect_left(times, a + width) - bisect.bisect_left(times, a))
        a += stride
    return out


def test_the_ledger_is_exact_requests_and_real_tokens():
    """Net of what came back, the book has granted exactly what the workers spent: requests,
    and tokens at their real usage (estimates of 500, bills of 380)."""
    sim = Sim(rpm=60_000, tpm=60_000_000, workers=3)
    sim.run(5.0, demand=200, tokens=500, actual=380)
    sim.give_back_all()
    assert len(sim.spent) > 2000
    assert sim.book.granted_requests == len(sim.spent)
    assert sim.book.granted_tokens == sim.tokens_spent == 380 * len(sim.spent)


def test_unused_capacity_goes_back_and_is_spent_by_another_worker():
    """A worker that stops spending hands what it held back at its next exchange, and the run
    loses none of it: the other worker, asking for more than the limit, spends it."""
    rate = 100.0
    sim = Sim(rpm=int(rate * 60), workers=2)
    a, b = sim.holders
    t0 = sim.clock.t
    sim.run(1.0, demand=[rate, 3 * rate])
    held = a.held()[0]
    assert held >= 1  # a is left holding capacity it will not spend
    sim.run(2.0, demand=[0, 3 * rate])  # a is idle; its leases expire in its hands
    t = a.take()
    assert t.send is not None and t.send.back_requests == held  # handed back, all of it
    sim.send(a, t.send)
    if t.ok:
        sim.spent.append(sim.clock.t)
    sim.run(3.0, demand=[0, 3 * rate])
    sim.give_back_all()
    assert sim.book.granted_requests == len(sim.spent)  # the ledger counts only what was spent
    # nothing stranded: over the 6 s the pair spent the limit's rate plus the book's room
    room = rate * 0.5  # burst_s - ttl
    assert len(sim.spent) >= rate * 6 + room - 0.02 * rate * 6, len(sim.spent)
    assert len(sim.spent) <= rate * 6 + rate * 1.0
    assert t0 < min(sim.spent)


@pytest.mark.parametrize("workers", [1, 4, 8])
def test_the_limit_holds_over_every_window(workers):
    """60,000 RPM asked for twice over, 40 simulated seconds: every 10-second window after the
    first is within 5% of 10,000 requests, and no window of any length d (1 s and 10 s,
    sliding by 100 ms) holds more than rate * d plus the one-second allowance."""
    rate = 1000.0
    sim = Sim(rpm=int(rate * 60), workers=workers)
    t0 = sim.clock.t
    sim.run(40.0, demand=2 * rate / workers)
    wins = counts(sim.spent, t0 + 10, t0 + 40, 10, 10)
    assert len(wins) == 3
    for n in wins:
        assert abs(n - 10 * rate) <= 0.05 * 10 * rate, wins
    for width in (1.0, 10.0):
        worst = max(counts(sim.spent, t0, t0 + 40, width, 0.1))
        assert worst <= rate * width + rate * 1.0, (width, worst)


def test_the_limit_holds_with_a_token_limit_and_bills_above_the_estimate():
    """TPM binds (estimates of 100 tokens, bills of 150): the tokens really used per
    10-second window stay within 5% of the limit once the overdrafts are charged back."""
    tpm = 600_000  # 10,000 tokens/s
    sim = Sim(rpm=None, tpm=tpm, workers=4)
    t0 = sim.clock.t
    stamps: list[float] = []
    orig = sim.take

    def take(holder, tokens=0, actual=None):
        ok = orig(holder, tokens, actual)
        if ok:
            stamps.append(sim.clock.t)
        return ok

    sim.take = take
    sim.run(30.0, demand=50, tokens=100, actual=150)
    per_s = tpm / 60
    for n in counts(stamps, t0 + 10, t0 + 30, 10, 10):
        assert abs(n * 150 - 10 * per_s) <= 0.05 * 10 * per_s, n * 150


def test_a_429_seen_by_one_worker_pauses_and_shrinks_every_lease():
    """One worker reports a 429 with Retry-After 2 s: every worker drops its lease at its next
    exchange (within a lease period) and nothing is spent during the pause beyond what was in
    hand; the leases then start small and grow back, and the run recovers to the limit."""
    rate = 1000.0
    sim = Sim(rpm=int(rate * 60), workers=4)
    grants: list[tuple[float, int]] = []
    send = sim.send

    def record(holder, ask):
        send(holder, ask)
        if ask is not None and ask.requests:
            grants.append((sim.clock.t, sim._answers[-1][3].requests))

    sim.send = record
    sim.run(3.0, demand=rate)  # each asks for twice its share: the book is pacing them
    in_hand = sum(h.held()[0] for h in sim.holders[1:])
    t429 = sim.clock.t
    epoch = sim.book.penalize(2.0)
    sim.holders[0].penalize(epoch)  # the worker that saw it drops its own lease at once
    assert sim.holders[0].held() == (0, 0)
    sim.run(2.0, demand=rate)
    during = [t for t in sim.spent if t429 <= t < t429 + 2.0]
    assert len(during) <= in_hand, (len(during), in_hand)
    assert all(h._epoch == epoch for h in sim.holders)
    assert not [t for t in during if t >= t429 + 0.3]  # all had heard of it after a period
    sim.run(10.0, demand=rate)
    before = max(n for t, n in grants if t429 - 1 <= t < t429)
    first_after = [n for t, n in grants if t >= t429 + 2.0][:4]
    assert max(first_after) < before, (first_after, before)  # small again ...
    assert max(n for t, n in grants if t >= t429 + 6) >= before * 0.8  # ... then grown back
    late = counts(sim.spent, t429 + 6, t429 + 12, 5, 5)
    assert all(abs(n - 5 * rate) <= 0.05 * 5 * rate for n in late), late


def test_many_reports_of_one_overload_pause_the_run_once():
    book = LeaseBook(60_000, None, clock=Clock())
    e1 = book.penalize(1.0)
    assert [book.penalize(1.0) for _ in range(7)] == [e1] * 7  # same pause, same epoch
    assert book.penalize(5.0) == e1 + 1  # a longer pause is news


def test_an_unlimited_book_grants_what_is_asked_at_once():
    sim = Sim(rpm=None, workers=2)
    sim.run(1.0, demand=20_000)
    assert len(sim.spent) >= 0.95 * 40_000
    # the lease grew with the rate: a handful of exchanges per worker per second
    assert all(h.exchanges < 40 for h in sim.holders), [h.exchanges for h in sim.holders]


def test_leased_limiter_through_the_real_actor(ray_session):
    """Two worker-side limiters share one BudgetActor: a 429 reported by one pauses the
    other, and after both hand back, the actor's ledger equals what was spent."""
    from wrapped.batch.budget import BudgetActor, LeasedLimiter

    actor = BudgetActor.remote(6_000, None)  # 100/s
    a, b = LeasedLimiter(actor, 6_000, None), LeasedLimiter(actor, 6_000, None)

    async def spend(lim, n):
        for _ in range(n):
            await lim.acquire(10)

    async def go():
        await asyncio.gather(spend(a, 40), spend(b, 40))
        a.penalize(0.8)
        await asyncio.sleep(0.3)  # the report lands; b learns of it at its next exchange
        t0 = asyncio.get_running_loop().time()
        await spend(b, 60)
        took = asyncio.get_running_loop().time() - t0
        await a.aclose()
        await b.aclose()
        return took

    took = asyncio.run(go())
    assert took >= 0.45, took  # b waited out the rest of a's Retry-After
    granted, _, exchanges = ray_session.get(actor.ledger.remote())
    assert granted == 140
    assert exchanges < 140  # booked in leases, not one round trip per request
    ray_session.kill(actor)
