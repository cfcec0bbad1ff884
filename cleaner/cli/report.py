"""``cleaner report OUTDIR``: the page of what a ``cleaner clean -o OUTDIR`` run did."""
from __future__ import annotations

from pathlib import Path

import click

from cleaner.batch.htmlreport import write_report
from cleaner.cli.options import EXIT_FAILED
from cleaner.errors import CleanerError


@click.command("report")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the page (default: OUTDIR/report.html).")
def report_command(outdir: Path, target: Path | None) -> None:
    """Write OUTDIR/report.html, one self-contained page (no network needed) on the run that
    wrote OUTDIR: documents cleaned and failed, languages, rules by hits with before/after
    snippets, the documents the most was removed from, and the errors."""
    write(outdir, target)


def write(outdir: Path, target: Path | None = None) -> None:
    """Write the report; a folder without a manifest, or a failure to write, is one error line, exit 1."""
    try:
        path = write_report(outdir, target)
    except CleanerError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(EXIT_FAILED) from None
    except OSError as exc:
        click.echo(f"error: {exc.filename or target or outdir}: cannot write ({exc.strerror or exc})", err=True)
        raise SystemExit(EXIT_FAILED) from None
    click.echo(f"wrote {path}", err=True)
