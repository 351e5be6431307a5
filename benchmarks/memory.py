"""Memory of process trees, sampled in a thread: shared by the lesson and the hub benchmarks."""

from __future__ import annotations

import contextlib
import threading

import psutil


def tree_memory(pid: int, kind: str = "rss") -> int:
    """Memory in bytes of a process and its descendants (kind: rss, pss or uss); 0 if it has gone."""
    total = 0
    try:
        root = psutil.Process(pid)
        for process in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss if kind == "rss" else getattr(process.memory_full_info(), kind)
    except psutil.Error:
        pass
    return total


class KernelWatch:
    """Polls the memory of registered kernel processes in a thread: peak of the sum, and peak per pid."""

    def __init__(self, interval: float = 0.02, pss_every: int = 0):
        self.interval, self.pss_every = interval, pss_every
        self.pids: set[int] = set()
        self.peak_total = self.peak_pss_total = 0
        self.peak_by_pid: dict[int, int] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def add(self, pid: int) -> None:
        with self._lock:
            self.pids.add(pid)

    def _run(self) -> None:
        tick = 0
        while not self._stop.is_set():
            with self._lock:
                pids = tuple(self.pids)
            sizes = {pid: tree_memory(pid) for pid in pids}
            for pid, size in sizes.items():
                self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), size)
            self.peak_total = max(self.peak_total, sum(sizes.values()))
            if self.pss_every and tick % self.pss_every == 0:
                self.peak_pss_total = max(self.peak_pss_total, sum(tree_memory(pid, "pss") for pid in pids))
            tick += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> KernelWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
