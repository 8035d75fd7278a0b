"""Process-tree sampling for benchmarks: peak RSS and CPU time of a process and its children
(Ray's raylet and workers are descendants of the driver), excluding given pids (the server).

The sampler is measuring apparatus, not the product: it runs in the driver's process, so its
own CPU (`self_cpu_s`, from its thread's clock) is taken out of the driver's figure, and it
keeps that cost small (the process list and each process's kind are re-read every few
samples, not on every one)."""

from __future__ import annotations

import os
import threading
import time

import psutil


class TreeSampler:
    def __init__(
        self, root: int | None = None, exclude: set[int] | None = None, every_s: float = 0.2
    ):
        self.root = psutil.Process(root or os.getpid())
        self.exclude = exclude or set()
        self.every_s = every_s
        # Two peaks of the tree's memory. `peak_rss` sums each process's RSS, so a page that
        # several processes map (a forked stats helper's copy-on-write view of the driver, Ray's
        # shared object store) counts once per process: an upper bound. `peak_pss` sums PSS,
        # where a shared page is split between the processes that map it: the memory the tree
        # actually holds.
        self.peak_rss = 0
        self.peak_pss = 0
        # who held the memory at the PSS peak (driver / ray workers / ray system / other), so a
        # peak that grows with the run's size can be traced to the process that grew
        self.peak_pss_by_kind: dict[str, int] = {}
        self._cpu: dict[int, float] = {}
        self._kind: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tree: list[psutil.Process] = []
        self._samples = 0
        self.self_cpu_s = 0.0  # the sampler thread's own CPU, taken out of the driver's share

    #: re-list the tree (a /proc walk) and re-classify processes every this many samples; a new
    #: process goes unseen for at most that long (about a second), a negligible share of a run
    REFRESH = 5

    def _procs(self, refresh: bool) -> list[psutil.Process]:
        if refresh or not self._tree:
            try:
                kids = self.root.children(recursive=True)
            except psutil.Error:
                kids = []
            self._tree = [p for p in [self.root, *kids] if p.pid not in self.exclude]
        return self._tree

    def sample(self) -> None:
        t0 = time.thread_time()
        try:
            self._sample()
        finally:
            self.self_cpu_s += time.thread_time() - t0

    def _sample(self) -> None:
        refresh = self._samples % self.REFRESH == 0
        self._samples += 1
        rss = pss = 0
        by_kind: dict[str, int] = {}
        for p in self._procs(refresh):
            try:
                with p.oneshot():
                    mem = p.memory_full_info()
                    rss += mem.rss
                    p_pss = getattr(mem, "pss", mem.rss)  # PSS is Linux-only
                    pss += p_pss
                    t = p.cpu_times()
                    self._cpu[p.pid] = t.user + t.system
                    if refresh and self._kind.get(p.pid) not in ("driver", "ray workers"):
                        # a Ray worker takes its "ray::Actor" title only once it hosts one
                        self._kind[p.pid] = self._classify(p)
                    kind = self._kind.get(p.pid, "other")
                    by_kind[kind] = by_kind.get(kind, 0) + p_pss
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, rss)
        if pss > self.peak_pss:
            self.peak_pss = pss
            self.peak_pss_by_kind = by_kind

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._base_cpu = dict(self._cpu)
        self.self_cpu_s = 0.0
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._samples = 0  # the closing sample re-lists the tree
        self.sample()

    def _classify(self, p: psutil.Process) -> str:
        if p.pid == self.root.pid:
            return "driver"
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            cmd = ""
        if cmd.startswith("ray::"):
            return "ray workers"
        if "ray" in cmd or p.name() in {"raylet", "gcs_server"}:
            return "ray system"
        return "other"

    def cpu_by_kind(self) -> dict[str, float]:
        """CPU seconds since __enter__ split into driver / ray workers / ray system / other."""
        out: dict[str, float] = {}
        for pid, v in self._cpu.items():
            kind = self._kind.get(pid, "other")
            out[kind] = out.get(kind, 0.0) + v - self._base_cpu.get(pid, 0.0)
        if "driver" in out:
            out["driver"] -= self.self_cpu_s
        return out

    @property
    def cpu_s(self) -> float:
        """CPU seconds used by the tree since __enter__ (processes that ended count up to their
        last sample), less the sampler's own."""
        tree = sum(v - self._base_cpu.get(pid, 0.0) for pid, v in self._cpu.items())
        return tree - self.self_cpu_s
