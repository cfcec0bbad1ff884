"""Where the cleaning runs: in this process (``-j 1``), in local worker processes, or on a Dask
cluster; each is an :class:`Executor` with the number of tasks it runs at once."""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TypeVar

from cleaner.errors import ConfigError


T = TypeVar("T")
CGROUP = Path("/sys/fs/cgroup")
LOOKAHEAD = 1000  # entries read ahead to count the inputs to clean, for the number of workers


def available_cpus(cgroup: Path = CGROUP) -> int:
    """The CPUs this process may use: those of its affinity mask, at most its cgroup's CPU quota
    (``cpu.max`` in cgroup v2, ``cpu.cfs_quota_us`` in v1, rounded up), as in a container."""
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        count = os.cpu_count() or 1
    quota = _cgroup_quota(cgroup)
    return max(1, min(count, quota) if quota else count)


def _cgroup_quota(root: Path) -> int | None:
    """The tightest CPU quota of this process's cgroup and its parents, in CPUs; None if none."""
    quotas = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        lines = []
    own = next((line.split(":", 2)[2] for line in lines if line.startswith("0::")), "/")
    folder = root / own.strip("/")
    for where in (folder, *folder.parents):
        quotas.append(_read_quota(where / "cpu.max", None))
        if where == root:
            break
    for v1 in ("cpu", "cpu,cpuacct"):
        quotas.append(_read_quota(root / v1 / "cpu.cfs_quota_us", root / v1 / "cpu.cfs_period_us"))
    found = [quota for quota in quotas if quota]
    return min(found) if found else None


def _read_quota(path: Path, period_path: Path | None) -> int | None:
    try:
        fields = path.read_text().split()
        if period_path is not None:
            fields.append(period_path.read_text().strip())
        quota, period = fields[0], fields[1]
        if quota in ("max", "-1"):
            return None
        return max(1, -(-int(quota) // int(period)))  # rounded up: 1.5 CPUs is 2 workers
    except (OSError, IndexError, ValueError, ZeroDivisionError):
        return None


def fit_workers(entries: Iterable[T], jobs: int, is_work: Callable[[T], bool]) -> tuple[Iterator[T], int]:
    """``entries`` unchanged, and the number of workers they need: ``jobs``, or, when they end
    within :data:`LOOKAHEAD` entries with fewer inputs to clean (``is_work``), one per input
    (one or none: 1, cleaned in this process, no worker forked)."""
    ahead: list[T] = []
    work = 0
    rest = iter(entries)
    if jobs <= 1:
        return rest, jobs
    for entry in rest:
        ahead.append(entry)
        work += bool(is_work(entry))
        if work >= jobs or len(ahead) >= LOOKAHEAD:
            return chain(ahead, rest), jobs
    return iter(ahead), max(1, work)


class InlineExecutor(Executor):
    """``-j 1``: run each task at once in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


PR_SET_PDEATHSIG = 1  # linux/prctl.h


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _start_worker(parent: int) -> None:
    """Ctrl-C and SIGTERM are for the batch process, which stops the run cleanly and then its
    workers (:meth:`LocalPool.terminate`): workers ignore them. A forked worker is born with
    them blocked (:func:`_signals_held`), so none lands before it ignores them. On Linux
    a worker also dies with the batch process, even one killed with -9, rather than wait
    forever for work (holding the output folder's lock, which a forked worker shares)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # it died before prctl took effect
            os._exit(1)


class LocalPool(Executor):
    """Worker processes; if one dies (killed, out of memory), the pool is rebuilt.

    On Linux, workers are forked from this process, which has built its cleaner already
    (:func:`cleaner.batch.workers.cleaner_for`), so they start at once with the rule packs compiled (the language
    profiles still load on first use, in each worker). Forking is safe only without other threads (a lock one of them holds
    would stay locked in the child): with threads, and on other systems, workers are spawned
    and build their own cleaner."""

    def __init__(self, processes: int):
        self.processes = processes
        self._pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        fork = sys.platform == "linux" and threading.active_count() == 1
        self.start_method = "fork" if fork else "spawn"
        context = multiprocessing.get_context(self.start_method)
        pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_start_worker,
                                   initargs=(os.getpid(),))
        if fork:
            gc.freeze()  # else the workers' collector touches, and so copies, every inherited page
            try:
                with _signals_held():
                    pool.submit(int)  # the first task forks the workers
            finally:
                gc.unfreeze()
        return pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self.restart()
            return self._pool.submit(fn, *args, **kwargs)

    def restart(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def terminate(self) -> None:
        """Stop at once (an interruption, an error): kill the workers rather than wait for
        them. Nothing is lost: a worker only stages texts in the run's tmp folder, which the
        batch process places, or drops when it stops."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.kill()
        for process in processes:
            process.join(timeout=5)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while workers are forked: a child inherits the mask, and takes
    them only once it ignores them; this process takes them when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def executor(jobs: int, scheduler: str | None = None) -> Iterator[tuple[Executor, int]]:
    """An executor and the number of tasks it runs at once: Dask if ``scheduler`` is given."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--scheduler needs the dask extra: pip install 'article-cleaner[dask]'") from None
        try:
            client = Client(scheduler, timeout=30, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"cannot reach the Dask scheduler ({exc})", scheduler) from None
        with client:
            slots = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
            yield client.get_executor(pure=False), max(slots, 1)
    elif jobs <= 1:
        yield InlineExecutor(), 1
    else:
        pool = LocalPool(jobs)
        try:
            yield pool, jobs
        except BaseException:  # Ctrl-C, SIGTERM, a failure to write: do not wait for the workers
            pool.terminate()
            raise
        pool.shutdown(wait=True)
