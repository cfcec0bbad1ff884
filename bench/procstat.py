"""A running process's memory, read from ``/proc/<pid>/status`` (Linux), for the benchmarks."""
from __future__ import annotations

from pathlib import Path


def status_kb(pid: int, field: str) -> int:
    """The value in kB of ``field`` ("VmHWM": peak resident memory; "RssAnon": resident
    anonymous memory, not the pages of mapped files) of process ``pid``, 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
