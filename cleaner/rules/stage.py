"""Stage ``rules``: the enabled text rules, applied in pack order, each over the whole text;
stage ``shapes``: the shape rules and the line classifier (on HTML pages, only the stamped
shapes of :mod:`cleaner.rules.thread`)."""
from __future__ import annotations

from typing import Callable, Iterable

from cleaner.document import Document
from cleaner.errors import RuleTimeout
from cleaner.rules.kinds import DEFAULT_TIME_LIMIT, STAGE, Rule
from cleaner.rules.prefilter import RuleFilter
from cleaner.rules.regex import RegexTimeout, encodable, time_limit
from cleaner.rules.context import ContextOptions, classify
from cleaner.rules.shapes import STAGE as SHAPE_STAGE
from cleaner.rules.lexicon import Lexicon, Line, Words, line_test, split_lines, words_of
from cleaner.rules.shapes import LINE_TESTS, ShapeRule, Span, drop_lines, mark
from cleaner.rules.siteof import site_of
from cleaner.rules.thread import PAGE_KINDS


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
            if may_match is not None and number not in may_match or not runs_on(rule, doc):
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


def runs_on(rule: Rule | ShapeRule, doc: Document) -> bool:
    """A rule of a language's pack runs only on documents in that language (``zh`` packs on
    ``zh-cn`` too); a site's pack only on that site's pages when the page's address or site
    name is known. A rule's own ``site:`` (learned rules) runs only on documents whose
    :func:`~cleaner.rules.siteof.site_of` is that site, or unknown. Packs without either run on
    every document."""
    return in_language(rule, doc.metadata.get("language", "")) and on_site(rule, doc)


def in_language(rule: Rule | ShapeRule, language: str) -> bool:
    """The language half of :func:`runs_on`: the rule's pack is of no language, or of ``language``."""
    return not rule.language or base_language(language) == rule.language


def on_site(rule: Rule | ShapeRule, doc: Document) -> bool:
    """The site half of :func:`runs_on`: the rule has no site, or the document may be of its site."""
    own_site = getattr(rule, "own_site", None)
    if own_site:
        site = site_of(doc.url or doc.metadata.get("url"), doc.metadata.get("sitename"), doc.path)
        if site is not None and site != own_site.lower():
            return False
    if rule.site:
        where = " ".join(str(v) for v in (doc.url, doc.metadata.get("url"), doc.metadata.get("sitename")) if v)
        return not where or rule.site in where.lower()
    return True


def base_language(code: str) -> str:
    return code.split("-")[0].lower()


class ShapeSet:
    """Stage ``shapes`` (text inputs; an HTML page is left to the HTML rules and trafilatura's
    own classifier): the shape rules of the document's language and the language-neutral
    ones, then the line classifier (:mod:`cleaner.rules.context`, unless turned off); every
    line dropped is one edit's worth, named after the shape rule or the context reason."""

    name = SHAPE_STAGE

    def __init__(self, rules: Iterable[ShapeRule], context: ContextOptions = ContextOptions(),
                 keep_comments: bool = False):
        self.rules = [rule for rule in rules if rule.enabled]
        self.context = context
        self.keep_comments = keep_comments  # [html] include-comments: comment threads are wanted
        self._lexicons: dict[str, Lexicon] = {}
        self._of_language: dict[str, list[ShapeRule]] = {}
        self._line_tests: dict[tuple[int, ...], tuple[tuple[Callable[[Line, Words], bool], Words], ...]] = {}
        packs: dict[tuple[str, str], ShapeRule] = {}
        for rule in rules:  # a disabled rule's words still tell the others (and the context) its language
            packs.setdefault((rule.source, rule.pack), rule)
        self._packs = list(packs.values())

    def runs_here(self, rule: ShapeRule, doc: Document) -> bool:
        """On a page, trafilatura's own classifier and the HTML rules judged the blocks already:
        only the stamped shapes run there (story lists and comment threads it kept), and no
        context. Comment threads are looked for on pages only, where ``[html] include-comments``
        says whether they are wanted (in a text dump nothing says so)."""
        if rule.kind == "comment-thread":
            return doc.page and not self.keep_comments
        return not doc.page or rule.kind in PAGE_KINDS

    def lexicon(self, language: str) -> Lexicon:
        """The lists of every shape pack of ``language`` and of the neutral ones, merged by kind."""
        if language not in self._lexicons:
            merged: Lexicon = {}
            for rule in self._packs:
                if rule.language in (None, language):
                    for kind, words in rule.lexicon.items():
                        merged[kind] = merged[kind].merged(words) if kind in merged else words
            self._lexicons[language] = merged
        return self._lexicons[language]

    def of_language(self, language: str) -> list[ShapeRule]:
        """The rules :func:`runs_on` may run on a document in ``language`` (``metadata.language``):
        those of its packs and of no language's, in order."""
        if language not in self._of_language:
            self._of_language[language] = [rule for rule in self.rules if in_language(rule, language)]
        return self._of_language[language]

    def lines_passing(self, lines: list[Line], rules: list[ShapeRule]) -> list[list[Span]]:
        """``rule.spans(lines, ...)`` of each rule of a kind in ``LINE_TESTS`` (the lines that
        pass its test, each a span), with a line's answers to all of them found at once and kept
        on the line (:func:`~cleaner.rules.lexicon.line_test`): a line of the last text split
        costs one look-up, not one per rule."""
        tests = self._line_tests.setdefault(tuple(map(id, rules)),  # one tuple per set of rules
                                            tuple((LINE_TESTS[rule.kind], rule.words) for rule in rules))
        passed = line_test(_passed, tests)
        spans: list[list[Span]] = [[] for _ in rules]
        for number, line in enumerate(lines):
            for which in passed(line) if line.toks else ():
                spans[which].append((number, number + 1))
        return spans

    def __call__(self, doc: Document) -> Document:
        language = doc.metadata.get("language", "")
        rules = [rule for rule in (self.of_language(language) if isinstance(language, str) else self.rules)
                 if on_site(rule, doc) and self.runs_here(rule, doc)]
        if doc.page and not rules:
            return doc
        if not rules and not self.context.enabled:
            return doc
        lexicon = self.lexicon(base_language(doc.metadata.get("language", "")))
        lines = split_lines(doc.text)
        reasons: dict[int, str] = {}
        local = [rule for rule in rules if rule.kind in LINE_TESTS]
        passing = dict(zip(map(id, local), self.lines_passing(lines, local)))
        for rule in rules:
            mark(reasons, lines, passing[id(rule)] if id(rule) in passing else rule.spans(lines, lexicon), rule.id)
        if self.context.enabled and not doc.page and words_of(lexicon, "context").get("stopwords"):
            reasons.update(classify(lines, reasons, lexicon, self.context))
        text, edits = drop_lines(doc.text, lines, reasons)
        if edits:
            doc.text = text
            doc.edits.extend(edits)
        return doc


def _passed(line: Line, tests: tuple[tuple[Callable[[Line, Words], bool], Words], ...]) -> tuple[int, ...]:
    """The positions in ``tests`` of those ``line`` passes."""
    return tuple([number for number, (test, words) in enumerate(tests) if test(line, words)])
