"""What the commands share: exit codes, the usage error, ``--config``/``--rules``, building the
cleaner (a bad rule pack is a usage error), sizes such as ``20MB``, stopping on a signal."""
from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import click

from cleaner.batch import source, workers
from cleaner.batch.pool import STOP_SIGNALS, available_cpus
from cleaner.config import Config, load_config
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner

EXIT_FAILED, EXIT_USAGE = 1, 2


class UsageError(click.ClickException):
    exit_code = EXIT_USAGE


def config_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--config`` and ``--rules``, turned into a :class:`Config` passed as ``config``."""

    @click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="TOML config file (default: [tool.cleaner] of the nearest pyproject.toml, "
                       "else the built-in profile).")
    @click.option("--rules", "extra_rules", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="Add a YAML rule pack (repeatable).")
    @functools.wraps(func)
    def wrapper(config_path: Path | None, extra_rules: tuple[Path, ...], **kwargs: Any) -> Any:
        try:
            config = load_config(config_path).with_rules(extra_rules)
        except CleanerError as exc:
            raise UsageError(str(exc)) from None
        return func(config=config, **kwargs)

    return wrapper


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-j/--jobs``, the number of worker processes (default: the CPUs this process may use)."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=available_cpus,
                        show_default="the CPUs available (affinity, cgroup quota)",
                        help="Worker processes (never more than inputs to clean).")(func)


def build(config: Config) -> Cleaner:
    """The cleaner of ``config``, built now: a bad rule pack or config stops here, exit 2."""
    try:
        return workers.cleaner_for(config)
    except CleanerError as exc:
        raise UsageError(str(exc)) from None


class ByteSize(click.ParamType):
    """``20MB``, ``500k``, ``1GiB`` or a plain number of bytes."""

    name = "size"
    _UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
              "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        number = text.rstrip("kmgib")
        try:
            return int(float(number) * self._UNITS[text[len(number):]])
        except (ValueError, KeyError):
            self.fail(f"{value!r} is not a size such as 20MB, 500k or 1048576", param, ctx)


def input_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--text-field`` and ``--max-size``: how the inputs are read (``clean`` and ``learn``)."""
    func = click.option("--max-size", type=ByteSize(), default=source.DEFAULT_MAX_BYTES, show_default="20MB",
                        help="Refuse input files (and JSONL records) larger than this, without reading them.")(func)
    return click.option("--text-field", default="text", show_default=True,
                        help="The field holding the text (or the HTML page) in JSONL input records.")(func)


class Stopped(KeyboardInterrupt):
    """SIGINT or SIGTERM reached the command; ``signum`` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: object) -> None:
    for other in STOP_SIGNALS:  # a second Ctrl-C must not cut the cleanup short
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


def interruptible(func: Callable[..., Any]) -> Callable[..., Any]:
    """SIGINT (Ctrl-C, to the process or its group) and SIGTERM stop the command the same way:
    the exception unwinds the run, which kills its workers and keeps what was finished
    (:func:`cleaner.batch.pool.executor`, :meth:`cleaner.batch.run.Batch.run`); then one line
    and exit 130 (SIGINT) or 143 (SIGTERM). Signals that follow are ignored while it stops."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
            return func(*args, **kwargs)
        previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
        try:
            result = func(*args, **kwargs)
        except KeyboardInterrupt as exc:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            click.echo("interrupted: what was finished is kept; run the same command again to finish",
                       err=True)
            # The run has unwound (outputs placed or dropped, journal committed, workers killed).
            # Exit now, not through the interpreter's shutdown: it joins the worker pool's manager
            # thread, which can wait forever for the rest of a result a killed worker half wrote.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(128 + (exc.signum if isinstance(exc, Stopped) else signal.SIGINT))
        except BaseException:
            _restore(previous)
            raise
        _restore(previous)
        return result

    return wrapper


def _restore(handlers: dict[int, Any]) -> None:
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
