"""Stage ``rules``: the enabled text rules, applied in pack order, each over the whole text."""
from __future__ import annotations

from typing import Iterable

from cleaner.document import Document
from cleaner.errors import RuleTimeout
from cleaner.rules.kinds import DEFAULT_TIME_LIMIT, STAGE, Rule
from cleaner.rules.prefilter import RuleFilter
from cleaner.rules.regex import RegexTimeout, encodable, time_limit


class RuleSet:
    """Stage ``rules``: ``Document -> Document``, one edit per change a rule made.

    The prefilter (:class:`~cleaner.rules.prefilter.RuleFilter`) skips the rules that cannot
    match the text. A rule that runs longer than ``seconds`` on one document raises
    :class:`RuleTimeout`. Only rules on the ``re`` engine need the timer: RE2 takes linear time
    (but text RE2 cannot read, with lone surrogates, sends every rule to ``re``).
    """

    name = STAGE

    def __init__(self, rules: Iterable[Rule], seconds: float | None = DEFAULT_TIME_LIMIT):
        self.rules = [rule for rule in rules if rule.enabled]
        self.seconds = seconds
        self.filter = RuleFilter([(rule.pattern.pattern, rule.pattern.flags) for rule in self.rules])

    def __call__(self, doc: Document) -> Document:
        may_match = self.filter.candidates(doc.text)  # the other rules cannot match: skipped
        for number, rule in enumerate(self.rules):
            if may_match is not None and number not in may_match:
                continue
            bounded = rule.engine == "re" or not encodable(doc.text)
            try:
                with time_limit(self.seconds if bounded else None):
                    text, edits = rule.apply(doc.text)
            except RegexTimeout:
                raise RuleTimeout(
                    f"rule {rule.id!r} ({rule.source}:{rule.line}, {rule.engine} engine) ran over its "
                    f"time limit of {self.seconds:g} s on this document", doc.id or None) from None
            if edits:
                doc.text = text
                doc.edits.extend(edits)
                may_match = self.filter.candidates(doc.text)
        return doc
