"""The ``cleaner`` command line. Exit codes: 0 done, 1 some input failed, 2 usage or config error.

The group is here; each command lives in a module of its own (:mod:`cleaner.cli.clean`,
:mod:`cleaner.cli.explain`, :mod:`cleaner.cli.learn`, :mod:`cleaner.cli.rules`), its shared options in
:mod:`cleaner.cli.options`.
"""
from __future__ import annotations

import click

from cleaner import __version__
from cleaner.cli.clean import check_command, clean_command
from cleaner.cli.explain import explain_command
from cleaner.cli.learn import learn_command
from cleaner.cli.rules import rules_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cleaner")
def main() -> None:
    """Clean scraped news articles: strip artefacts with YAML rules, rejoin broken lines,
    fix Unicode, normalise, and detect the language."""


for _command in (clean_command, check_command, explain_command, learn_command, rules_group):
    main.add_command(_command)
