"""The ``cleaner`` command line. Exit codes: 0 done, 1 some input failed, 2 usage or config error."""
from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from cleaner import __version__
from cleaner.batch import inplace, report, sink, source, workers
from cleaner.batch import run as batch
from cleaner.cli import explain as explain_mod
from cleaner.config import Config, load_config
from cleaner.errors import CleanerError, ConfigError, InputError, OutputError
from cleaner.pipeline import Cleaner
from cleaner.html.prune import HtmlRule
from cleaner.rules.pack import builtin_pack_files, load_pack, load_packs

log = logging.getLogger("cleaner")
EXIT_FAILED, EXIT_USAGE = 1, 2


class UsageError(click.ClickException):
    exit_code = EXIT_USAGE


def _config_options(func: Callable[..., Any]) -> Callable[..., Any]:
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


def _build(config: Config) -> Cleaner:
    try:
        return workers.cleaner_for(config)
    except CleanerError as exc:
        raise UsageError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean scraped news articles: strip artefacts with YAML rules, rejoin broken lines,
    fix Unicode, normalise, and detect the language."""


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: one .txt per input at its relative path (or JSONL shards), "
                   "plus manifest.jsonl.")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True,
              help="text: cleaned files (stdout for '-' or a single file); "
                   'jsonl: {"id", "text", "metadata"} records (stdout, or JSONL files in OUTDIR).')
@click.option("--shard-size", type=click.IntRange(min=0), default=0, show_default=True,
              help="With --format jsonl -o: inputs per shard, documents-00000.jsonl, ...; "
                   "0 writes one documents.jsonl.")
@click.option("--gzip", "compress", is_flag=True, help="With --format jsonl -o: write .jsonl.gz files.")
@click.option("--include", multiple=True,
              show_default=" ".join(source.DEFAULT_INCLUDE) + "; with --in-place, --check, --diff: *.txt",
              help="File name pattern taken from folders (repeatable). *.jsonl files are read as records.")
@click.option("--text-field", default="text", show_default=True,
              help="The field holding the text (or the HTML page) in JSONL input records.")
@click.option("--max-size", type=ByteSize(), default=source.DEFAULT_MAX_BYTES, show_default="20MB",
              help="Refuse input files (and JSONL records) larger than this, without reading them.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="CPU count", help="Worker processes.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run the workers on a Dask cluster, e.g. tcp://HOST:8786 (needs the dask extra).")
@click.option("--force", is_flag=True, help="Clean every input again, even those whose output is up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per input to stderr.")
@click.option("--in-place", is_flag=True,
              help="Rewrite each input that cleaning changes (atomically), printing 'Fixing FILE'; exit 1 if any.")
@click.option("--check", is_flag=True, help="Write nothing; list the inputs cleaning would change; exit 1 if any.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of what cleaning would change.")
@_config_options
def clean(config: Config, paths: tuple[Path, ...], outdir: Path | None, fmt: str, shard_size: int,
          compress: bool, include: tuple[str, ...], text_field: str, max_size: int, jobs: int,
          scheduler: str | None, force: bool, quiet: bool, verbose: bool,
          in_place: bool, check: bool, diff: bool) -> None:
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
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s",
                        stream=sys.stderr)
    # trafilatura warns about every page it finds no article in: that is an empty output here
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if verbose else logging.ERROR)
    if in_place or check or diff:
        include = include or source.TEXT_INCLUDE
        if outdir or fmt != "text":
            raise UsageError("--in-place, --check and --diff take neither -o nor --format")
        mode = inplace.Mode(write=in_place, check=check, diff=diff)
        sys.exit(_in_place(config, paths, mode, include, jobs, quiet))
    if Path("-") in paths:
        if len(paths) > 1:
            raise UsageError("'-' (stdin) cannot be combined with other paths")
        sys.exit(_clean_stdin(_build(config), fmt))
    many = len(paths) > 1 or paths[0].is_dir() or source.is_jsonl(paths[0])
    if outdir is None and fmt == "text" and many:
        raise UsageError("several inputs need -o OUTDIR (or --format jsonl for stdout)")
    if outdir is not None and any(p.is_dir() and p.resolve() == outdir.resolve() for p in paths):
        raise UsageError(f"{outdir}: the output folder cannot be an input folder (use a folder inside it)")
    _build(config)  # a bad rule pack or config stops here, before any file is read
    events = report.TerminalEvents(quiet, verbose)
    jobs_found = source.discover(paths, include or source.DEFAULT_INCLUDE, skip=outdir, warn=events.info)
    items = source.read_items(jobs_found, max_size, text_field)
    options = batch.Options(outdir, fmt, shard_size, compress, force, jobs, scheduler)
    try:
        summary = batch.Batch(config, options, events).run(items)
    except KeyboardInterrupt:
        events.bar.close()
        click.echo("interrupted: what was finished is kept; run the same command again to finish",
                   err=True)
        sys.exit(130)
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
    if not quiet and (outdir or summary.failed or verbose):
        for line in summary.lines():
            click.echo(line, err=True)
    sys.exit(EXIT_FAILED if summary.failed else 0)


def _in_place(config: Config, paths: tuple[Path, ...], mode: inplace.Mode, include: tuple[str, ...],
              jobs: int, quiet: bool) -> int:
    if mode.write and (mode.check or mode.diff):
        raise UsageError("--in-place cannot be combined with --check or --diff (they write nothing)")
    if Path("-") in paths:
        raise UsageError("--in-place, --check and --diff work on files, not on '-' (stdin)")
    _build(config)  # a bad rule pack or config stops here, before any file is read
    return inplace.run(paths, config, mode, include, jobs, quiet)


def _clean_stdin(cleaner: Cleaner, fmt: str) -> int:
    try:
        doc = cleaner.clean(sys.stdin.buffer.read(), id="-", path="<stdin>")
    except InputError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_FAILED
    out = sink.json_line(doc.to_json()) if fmt == "jsonl" else doc.text
    try:
        sys.stdout.buffer.write(out.encode("utf-8"))
        sys.stdout.flush()
    except OSError as exc:
        click.echo(f"error: cannot write to stdout ({exc.strerror or exc})", err=True)
        return EXIT_FAILED
    return 0


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--diff", is_flag=True, help="Print a unified diff of what cleaning would change, not the names.")
@click.option("--include", multiple=True, default=source.TEXT_INCLUDE, show_default=True,
              help="File name pattern taken from folders (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1,
              show_default="CPU count", help="Worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="Print file names and errors only, no summary.")
@_config_options
def check(config: Config, paths: tuple[Path, ...], diff: bool, include: tuple[str, ...], jobs: int,
          quiet: bool) -> None:
    """Change nothing; exit 1 and list the files of PATH... that cleaning would change
    (the same as 'cleaner clean --check')."""
    sys.exit(_in_place(config, paths, inplace.Mode(check=True, diff=diff), include, jobs, quiet))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--color/--no-color", default=None, help="Colour the diff (default: on a terminal).")
@_config_options
def explain(config: Config, file: Path, color: bool | None) -> None:
    """Show what each rule and repair removed, replaced or joined in FILE."""
    cleaner = _build(config)
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
        doc = cleaner.clean(data, id=file.stem, path=str(file))
    except OSError as exc:
        raise click.ClickException(f"{file}: cannot read ({exc.strerror})") from None
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    use_color = sys.stdout.isatty() if color is None else color
    for line in explain_mod.render(doc, str(file), use_color):
        click.echo(line, color=use_color)


@main.group()
def rules() -> None:
    """List and test rule packs."""


@rules.command("list")
@_config_options
def rules_list(config: Config) -> None:
    """List the rules in use: on/off, id, kind, pack, regex engine, description.

    The engine is re2 (linear time) or re (Python's, under the time limit; the reason follows).
    """
    loaded = _build(config).rules
    for rule in loaded:
        state = "on " if rule.enabled else "off"
        if isinstance(rule, HtmlRule):  # CSS and XPath run in lxml, not in a regex engine
            click.echo(f"{state} {rule.id:<32} {rule.kind:<14} {rule.pack:<16} {'-':<3} {rule.description.strip()}")
            continue
        why = "".join(f" [re: {r.fallback_reason}]" for r in (rule.pattern, rule.end) if r is not None and r.engine == "re")
        click.echo(f"{state} {rule.id:<32} {rule.kind:<14} {rule.pack:<16} {rule.engine:<3} "
                   f"{rule.description.strip()}{why}")


@rules.command("test")
@click.argument("packs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@_config_options
def rules_test(config: Config, packs: tuple[Path, ...]) -> None:
    """Run every rule's examples (built-in packs, --rules packs, or the PACKS given)."""
    try:
        if packs:
            loaded = [rule for path in packs for rule in load_pack(path, check=False)[1]]
        else:
            loaded = load_packs(config.packs, config.rules, check=False)
    except CleanerError as exc:
        raise UsageError(str(exc)) from None
    failures = [failure for rule in loaded for failure in rule.check_examples()]
    for failure in failures:
        click.echo(f"FAIL {failure}", err=True)
    examples = sum(len(rule.examples) for rule in loaded)
    click.echo(f"{len(loaded)} rules, {examples} examples, {len(failures)} failed")
    sys.exit(EXIT_USAGE if failures else 0)
