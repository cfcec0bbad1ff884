"""``cleaner clean`` (a batch to a folder or stdout; stdin to stdout) and its in-place modes,
``--in-place``, ``--check`` and ``--diff``, also offered as ``cleaner check``."""
from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

import click

from cleaner.batch import inplace, report, source
from cleaner.batch.readers import read_items, reader_for
from cleaner.batch.run import Batch
from cleaner.batch.source import Item
from cleaner.batch.writers import Options, formats
from cleaner.cli.options import (EXIT_FAILED, UsageError, build, config_options, input_options, interruptible,
                                 jobs_option)
from cleaner.cli.report import write as write_report
from cleaner.config import Config
from cleaner.errors import ConfigError, OutputError

STDIN = Path("-")

prose_only_option = click.option(
    "--prose-only", is_flag=True,
    help="With --in-place, --check, --diff: leave alone the files that do not read as article prose "
         "(word lists, requirements, lists of notes, verse), saying so on stderr. The pre-commit hooks use it.")


@click.command("clean")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one .txt per input at its relative path (or JSONL shards), "
                   "plus manifest.jsonl.")
@click.option("--format", "fmt", type=click.Choice(formats()), default="text", show_default=True,
              help="text: cleaned files (stdout for '-' or a single file); "
                   'jsonl: {"id", "text", "metadata"} records (stdout, or JSONL files in OUTDIR); '
                   "parquet: the same records in Parquet shards in OUTDIR (zstd; needs pyarrow).")
@click.option("--shard-size", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --format jsonl -o: inputs per shard, documents-00000.jsonl, ...; "
                   "0 writes one documents.jsonl. With --format parquet: inputs per Parquet shard, "
                   "0 for no number (a shard also ends when its inputs reach 64 MB).")
@click.option("--gzip", "compress", is_flag=True, help="With --format jsonl -o: write .jsonl.gz files.")
@click.option("--include", multiple=True,
              show_default=" ".join(source.DEFAULT_INCLUDE) + "; with --in-place, --check, --diff: *.txt",
              help="File name pattern taken from folders (repeatable). *.jsonl files are read as records.")
@input_options
@jobs_option
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the workers on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra).")
@click.option("--fsync", is_flag=True,
              help="With -o: put each output, then the journal's record of it, on the disk, so that a power "
                   "cut cannot leave an empty output recorded as done (slower on many small files).")
@click.option("--force", is_flag=True, help="Clean every input again, even those whose output is up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per input to stderr.")
@click.option("--report", "with_report", is_flag=True,
              help="With -o: also write OUTDIR/report.html (as 'cleaner report OUTDIR').")
@click.option("--in-place", is_flag=True,
              help="Rewrite each input that cleaning changes (atomically), printing 'Fixing FILE'; exit 1 if any.")
@click.option("--check", is_flag=True, help="Write nothing; list the inputs cleaning would change; exit 1 if any.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of what cleaning would change.")
@prose_only_option
@interruptible
@config_options
def clean_command(config: Config, paths: tuple[Path, ...], outdir: Path | None, fmt: str, shard_size: int,
                  compress: bool, include: tuple[str, ...], text_field: str, max_size: int, jobs: int,
                  scheduler: str | None, fsync: bool, force: bool, quiet: bool, verbose: bool, with_report: bool,
                  in_place: bool, check: bool, diff: bool, prose_only: bool) -> None:
    """Clean PATH... (files, folders, JSONL files, or - for stdin).

    \b
    cleaner clean -                       stdin to stdout
    cleaner clean article.txt             one file to stdout
    cleaner clean scraped/ -o clean/      a folder to a folder, with clean/manifest.jsonl
    cleaner clean scraped/ --format jsonl one JSONL record per file on stdout
    cleaner clean --in-place seeds/       rewrite the files that cleaning changes

    Re-running the same command with -o skips the inputs whose output is up to date
    (same input bytes, same configuration) and finishes the rest.
    """
    _set_up_logging(verbose)
    paths = tuple(same_path(path) for path in paths)
    if in_place or check or diff:
        if outdir or fmt != "text":
            raise UsageError("--in-place, --check and --diff take neither -o nor --format")
        mode = inplace.Mode(write=in_place, check=check, diff=diff)
        sys.exit(_in_place(config, paths, mode, include or source.TEXT_INCLUDE, jobs, quiet, prose_only))
    if prose_only:
        raise UsageError("--prose-only goes with --in-place, --check or --diff")
    if outdir is None and fmt == "parquet":
        raise UsageError("--format parquet needs -o OUTDIR")
    if STDIN in paths:
        if len(paths) > 1:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        sys.exit(_clean_stdin(config, fmt))
    _check_jsonl_options(outdir, fmt, shard_size, compress)
    _check_outdir(paths, outdir, fmt)
    if with_report and outdir is None:
        raise UsageError("--report needs -o OUTDIR")
    build(config)  # a bad rule pack or config stops here, before any file is read
    events = report.TerminalEvents(quiet, verbose, total=_known_count(paths))
    # in records, ids of several inputs start with the path given: two folders may hold the same names
    jobs_found = source.discover(paths, include or source.DEFAULT_INCLUDE, skip=outdir, warn=events.info,
                                 qualify=fmt != "text" and len({p.resolve() for p in paths}) > 1)
    options = Options(outdir, fmt, shard_size, compress, force, jobs, scheduler,
                      inputs=tuple(str(path.resolve()) for path in paths), fsync=fsync)
    skipped: Counter = Counter()
    summary = _run(config, options, read_items(jobs_found, max_size, text_field, skipped), events)
    summary.skipped = skipped
    if not quiet and (outdir or summary.failed or verbose):
        for line in summary.lines():
            click.echo(line, err=True)
    if with_report:
        write_report(outdir)
    sys.exit(EXIT_FAILED if summary.failed else 0)


def _set_up_logging(verbose: bool) -> None:
    """Warnings on stderr; with ``-v`` our own lines too (logger ``cleaner``), never the debug
    lines of the libraries. trafilatura warns about every page it finds no article in: that is
    an empty output here, so only its errors show."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    logging.getLogger("cleaner").setLevel(logging.DEBUG if verbose else logging.WARNING)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)


def same_path(path: Path) -> Path:
    """One spelling per input, so that a re-run finds its journal records however the path is
    written (``many/``, ``./many``, ``/abs/path/many``): relative to the working folder when
    inside it, else absolute; symbolic links are kept as they are named.

    >>> same_path(Path(".")), same_path(Path("a/../b/")), same_path(Path("-"))
    (PosixPath('.'), PosixPath('b'), PosixPath('-'))
    """
    if path == STDIN:
        return path
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return Path(absolute if relative == ".." or relative.startswith(".." + os.sep) else relative)


def _check_jsonl_options(outdir: Path | None, fmt: str, shard_size: int, compress: bool) -> None:
    """--gzip and --shard-size shape the files written to OUTDIR: without them, say so."""
    for flag, given, formats_ in (("--gzip", compress, ("jsonl",)),
                                  ("--shard-size", shard_size, ("jsonl", "parquet"))):
        if given and (fmt not in formats_ or outdir is None):
            wanted = " or ".join(formats_)
            missing = " and ".join(need for need, ok in ((f"--format {wanted}", fmt in formats_),
                                                         ("-o OUTDIR", outdir is not None)) if not ok)
            kinds = " or ".join({"jsonl": "JSONL", "parquet": "Parquet"}[name] for name in formats_)
            raise UsageError(f"{flag} shapes the {kinds} files written to OUTDIR: it needs {missing}")


def _known_count(paths: tuple[Path, ...]) -> int | None:
    """The number of inputs, when the paths say it without a walk: files that hold one document."""
    if any(path.is_dir() or reader_for(path).many for path in paths):
        return None
    return len(paths)


def _check_outdir(paths: tuple[Path, ...], outdir: Path | None, fmt: str) -> None:
    """Several documents need a folder (or JSONL on stdout); a folder is never an input folder."""
    many = len(paths) > 1 or paths[0].is_dir() or reader_for(paths[0]).many
    if outdir is None and fmt == "text" and many:
        raise UsageError("several inputs need -o OUTDIR (or --format jsonl for stdout)")
    if outdir is not None and any(p.is_dir() and p.resolve() == outdir.resolve() for p in paths):
        raise UsageError(f"{outdir}: the output folder cannot be an input folder (use a folder inside it)")


def _run(config: Config, options: Options, items: Iterable[Item],
         events: report.TerminalEvents) -> report.Summary:
    """Run the batch; an interruption, a closed stdout or a failure to write ends the command."""
    try:
        summary = Batch(config, options, events).run(items)
    except KeyboardInterrupt:
        events.bar.close()
        raise
    except BrokenPipeError:
        sys.stderr.close()  # the reader of stdout went away (| head): stop quietly
        sys.exit(EXIT_FAILED)
    except OutputError as exc:
        events.bar.close()
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    events.bar.close()
    return summary


def _clean_stdin(config: Config, fmt: str) -> int:
    """``-``: the same batch, stdin to stdout, in this process; errors only on stderr."""
    build(config)
    items = read_items([source.Job(STDIN, STDIN)])
    try:
        summary = Batch(config, Options(fmt=fmt), report.TerminalEvents(quiet=True, verbose=False)).run(items)
    except (OutputError, BrokenPipeError) as exc:
        cause = exc if isinstance(exc, BrokenPipeError) else exc.__cause__
        if isinstance(cause, OSError):  # stdout failed: said as before the batch read stdin
            exc = f"cannot write to stdout ({cause.strerror or cause})"
        click.echo(f"error: {exc}", err=True)
        return EXIT_FAILED
    return EXIT_FAILED if summary.failed else 0


def _in_place(config: Config, paths: tuple[Path, ...], mode: inplace.Mode, include: tuple[str, ...],
              jobs: int, quiet: bool, prose_only: bool = False) -> int:
    if mode.write and (mode.check or mode.diff):
        raise UsageError("--in-place cannot be combined with --check or --diff (they write nothing)")
    if STDIN in paths:
        raise UsageError("--in-place, --check and --diff work on files, not on '-' (stdin)")
    build(config)  # a bad rule pack or config stops here, before any file is read
    return inplace.run(paths, config, mode, include, jobs, quiet, prose_only)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--diff", is_flag=True, help="Print a unified diff of what cleaning would change, not the names.")
@click.option("--include", multiple=True, default=source.TEXT_INCLUDE, show_default=True,
              help="File name pattern taken from folders (repeatable).")
@jobs_option
@click.option("-q", "--quiet", is_flag=True, help="Print file names and errors only, no summary.")
@prose_only_option
@interruptible
@config_options
def check_command(config: Config, paths: tuple[Path, ...], diff: bool, include: tuple[str, ...], jobs: int,
                  quiet: bool, prose_only: bool) -> None:
    """Change nothing; exit 1 and list the files of PATH... that cleaning would change
    (the same as 'cleaner clean --check')."""
    sys.exit(_in_place(config, paths, inplace.Mode(check=True, diff=diff), include, jobs, quiet, prose_only))
