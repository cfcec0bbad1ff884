"""Rule examples, checked when a pack loads and by ``cleaner rules test`` (prh's specs, Semgrep's
tests): each gives an input and the output the rule must turn it into. One checker for every
rule kind, text or HTML; the kind says how it runs an example's input."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from cleaner.errors import RuleError
from cleaner.rules.regex import RegexTimeout, time_limit


@dataclass(frozen=True)
class Example:
    """``input`` must come out as ``output``; ``line`` is where the example is in its pack."""

    input: str
    output: str
    line: int | None = None

    def failure(self, rule_id: str, got: str, source: str, rule_line: int | None) -> RuleError | None:
        """The error for a rule that turned this example's input into ``got``, if not its output."""
        if got == self.output:
            return None
        return RuleError(f"rule {rule_id!r} fails its example: in {self.input!r} "
                         f"gave {got!r}, expected {self.output!r}", source, self.line or rule_line)


class WithExamples(Protocol):
    id: str
    examples: tuple[Example, ...]
    source: str
    line: int | None


def check_examples(rule: WithExamples, run: Callable[[str], str], seconds: float | None = None,
                   cannot_apply: tuple[type[Exception], ...] = ()) -> list[RuleError]:
    """One error per example of ``rule`` that ``run`` (the rule applied to an input) fails.

    ``seconds`` bounds each run (see :func:`~cleaner.rules.regex.time_limit`); an exception in
    ``cannot_apply`` is reported as a rule that cannot apply, any other goes up.
    """
    failures = []
    for example in rule.examples:
        try:
            with time_limit(seconds):
                got = run(example.input)
        except cannot_apply as exc:
            failures.append(RuleError(f"rule {rule.id!r} cannot apply: {exc}", rule.source, rule.line))
            continue
        except RegexTimeout:
            failures.append(RuleError(f"rule {rule.id!r} took over {seconds:g} s on its example",
                                      rule.source, example.line or rule.line))
            continue
        failure = example.failure(rule.id, got, rule.source, rule.line)
        if failure:
            failures.append(failure)
    return failures
