"""``cleaner learn``: the lines a site repeats across its documents, written as a rule pack to
review (:mod:`cleaner.learn`), and a report of every candidate and its verdict."""
from __future__ import annotations

import logging
import math
import sys
from pathlib import Path

import click

from cleaner.batch import report, source
from cleaner.batch.atomic import atomic_write
from cleaner.batch.readers import read_items
from cleaner.batch.texts import cleaned_texts
from cleaner.cli.options import EXIT_FAILED, UsageError, build, config_options, input_options, jobs_option
from cleaner.config import Config
from cleaner.errors import ConfigError
from cleaner.learn.count import Counter
from cleaner.learn.judge import Options, judge
from cleaner.learn.write import pack_yaml, report_lines, to_rules
from cleaner.rules.siteof import site_of

STDOUT = Path("-")


@click.command("learn")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "pack_path", type=click.Path(dir_okay=False, path_type=Path), default=STDOUT,
              show_default="stdout", help="The rule pack to write (YAML).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
              help="Write every candidate line, its counts and verdict (tab-separated) to this file, or - for stdout.")
@click.option("--min-docs", type=click.IntRange(min=2), default=Options.min_docs, show_default=True,
              help="A line must be in at least this many documents of its site.")
@click.option("--min-share", type=click.FloatRange(min=0, max=1, min_open=True), default=Options.min_share,
              show_default=True, help="... and in at least this share of them.")
@click.option("--prose-share", type=click.FloatRange(min=0, max=1, min_open=True), default=Options.prose_share,
              show_default=True, help="A line that reads as prose must be in this share of its site's documents.")
@click.option("--include", multiple=True, show_default=" ".join(source.DEFAULT_INCLUDE),
              help="File name pattern taken from folders (repeatable). *.jsonl files are read as records.")
@input_options
@jobs_option
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per input to stderr.")
@config_options
def learn_command(config: Config, paths: tuple[Path, ...], pack_path: Path, report_path: Path | None,
                  min_docs: int, min_share: float, prose_share: float, include: tuple[str, ...],
                  text_field: str, max_size: int, jobs: int, quiet: bool, verbose: bool) -> None:
    """Learn the boilerplate of each site from PATH... (files, folders, JSONL files): the lines,
    and runs of lines, its documents repeat, written as a rule pack for 'cleaner clean --rules'.

    \b
    cleaner learn scraped/ -o learned.yaml --report candidates.tsv
    cleaner rules test learned.yaml
    cleaner clean scraped/ -o clean/ --rules learned.yaml

    Documents are cleaned first (HTML pages: their extracted text) and grouped by site: their
    address's host, else their site name, else the folder holding the file.
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(message)s",
                        stream=sys.stderr)
    logging.getLogger("trafilatura").setLevel(logging.DEBUG if verbose else logging.ERROR)
    if pack_path == STDOUT and report_path == STDOUT:
        raise UsageError("the pack and the report cannot both go to stdout: give -o PACK.yaml")
    build(config)
    options = Options(min_docs, min_share, prose_share)
    counter = Counter(width=min(100_000, max(100, math.ceil(2 / min_share))))
    events = report.TerminalEvents(quiet, verbose)
    failures: list[str] = []
    items = read_items(source.discover(paths, include or source.DEFAULT_INCLUDE, warn=events.info),
                       max_size, text_field)
    try:
        for item, cleaned in cleaned_texts(items, config, jobs, events, failures):
            url = cleaned.metadata.get("url") or item.metadata.get("url")
            counter.add(site_of(url, cleaned.metadata.get("sitename"), item.source), cleaned.text or "")
    except KeyboardInterrupt:
        events.bar.close()
        click.echo("interrupted: nothing written", err=True)
        sys.exit(130)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    events.bar.close()
    candidates, findings = judge(counter, options)
    documents = sum(counts.docs for counts in counter.sites.values())
    rules = to_rules(findings)
    text = pack_yaml(rules, documents, len(counter.sites))
    _write(pack_path, text)
    if report_path is not None:
        _write(report_path, "".join(line + "\n" for line in report_lines(candidates, findings)))
    if not quiet:
        click.echo(f"learned {len(rules)} rule(s) from {documents} document(s) of {len(counter.sites)} site(s), "
                   f"{len(candidates)} candidate line(s); {len(failures)} input(s) failed", err=True)
    sys.exit(EXIT_FAILED if failures else 0)


def _write(path: Path, text: str) -> None:
    if path == STDOUT:
        click.echo(text, nl=False)
        return
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        click.echo(f"error: {path}: cannot write ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_FAILED)
