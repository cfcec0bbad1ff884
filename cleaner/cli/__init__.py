"""The ``cleaner`` command line. Exit codes: 0 done, 1 some input failed, 2 usage or config error.

The group is here; each command lives in a module of its own (:mod:`cleaner.cli.clean`,
:mod:`cleaner.cli.explain`, :mod:`cleaner.cli.learn`, :mod:`cleaner.cli.report`, :mod:`cleaner.cli.rules`),
its shared options in
:mod:`cleaner.cli.options`.
"""
from __future__ import annotations

import sys
import warnings
from typing import Any

import click
from click.exceptions import NoArgsIsHelpError

from cleaner import __version__
from cleaner.cli.clean import check_command, clean_command
from cleaner.cli.explain import explain_command
from cleaner.cli.learn import learn_command
from cleaner.cli.report import report_command
from cleaner.cli.rules import rules_group


class _Commands(click.Group):
    """click's group, except that every error line starts ``error:``, as the batch's do (click
    writes ``Error:``, and a message of several lines, such as a rule pack's mistakes, would
    have it on the first one only)."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:  # `cleaner` alone: the help
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            if isinstance(exc, click.UsageError) and exc.ctx is not None:  # a bad option or argument
                click.echo(exc.ctx.get_usage(), err=True)
                click.echo(f"Try '{exc.ctx.command_path} {exc.ctx.help_option_names[0]}' for help.", err=True)
            for line in exc.format_message().splitlines() or [""]:
                click.echo(f"error: {line}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean scraped news articles: strip artefacts with YAML rules, rejoin broken lines,
    fix Unicode, normalise, and detect the language."""
    if not sys.warnoptions:  # -W or PYTHONWARNINGS: the user's choice stands
        # a library's warning (dateutil on a page's unknown time zone...) is nothing a user can act on
        warnings.filterwarnings("ignore", module=r"(?!cleaner(\.|$))")


for _command in (clean_command, check_command, explain_command, learn_command, report_command, rules_group):
    main.add_command(_command)
