"""The pipeline, one stage per module:
decode → [HTML: parse, prune, extract] → fix → rules → repair → normalise → language."""
from __future__ import annotations

from typing import Any, Callable

from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.errors import RuleError, RuleTimeout
from cleaner.html.extract import HtmlExtractor, parse_html
from cleaner.text.fix import Fixer
from cleaner.text.language import LanguageDetector
from cleaner.text.normalise import Normaliser
from cleaner.html.prune import HtmlRule, Pruner
from cleaner.text.repair import Repairer
from cleaner.rules.pack import AnyRule, load_packs
from cleaner.rules.kinds import Rule
from cleaner.rules.stage import RuleSet
from cleaner.html.sniff import decode_input, has_html_suffix, looks_like_html

Stage = Callable[[Document], Document]
# The text stages run to a fixed point, so that cleaning twice is cleaning once: ftfy decides
# line by line and a rule sees lines as they are when it runs, so a line that a later stage
# shortened or joined may only now read as mojibake or match a rule.
_MAX_ROUNDS = 4


class Cleaner:
    """Build once from a :class:`Config` (rules compiled, examples checked), reuse for many documents."""

    def __init__(self, config: Config | None = None):
        self.config = config or load_config()
        self.rules: list[AnyRule] = _select(load_packs(self.config.packs, self.config.rules), self.config)
        self.pruner = Pruner(rule for rule in self.rules if isinstance(rule, HtmlRule))
        self.extractor = HtmlExtractor(self.config.html)
        self.fixer = Fixer(self.config.fix)
        self.text_stages: list[Stage] = [
            self.fixer,
            RuleSet([rule for rule in self.rules if isinstance(rule, Rule)], self.config.rule_time_limit),
            Repairer(self.config.dangling_words),
            Normaliser(),
        ]
        self.language = LanguageDetector()

    def clean(self, data: str | bytes, id: str = "", metadata: dict[str, Any] | None = None,
              path: str | None = None, url: str | None = None) -> Document:
        """Clean one document given as text or bytes; raises :class:`InputError` on bad bytes.

        HTML (told by its content, or by a ``.html``/``.htm`` ``path``) is pruned by the HTML
        rules and extracted first; ``url`` is the page's address, when known.
        """
        metadata = dict(metadata or {})
        where = path or id or "<bytes>"
        html_name = has_html_suffix(path)
        if isinstance(data, bytes):
            data, metadata["encoding"] = decode_input(data, where, html_name)
        doc = Document(text=data, id=id, metadata=metadata)
        if html_name or looks_like_html(data):
            doc = self.extract_html(doc, where, url)
        try:
            return self.clean_text(doc)
        except RuleTimeout as exc:
            raise RuleTimeout(exc.reason, path or exc.path) from None

    def extract_html(self, doc: Document, where: str, url: str | None = None) -> Document:
        """The HTML stages: parse the page once, prune it with the HTML rules, extract the article."""
        tree = parse_html(doc.text, where)
        doc.edits.extend(self.pruner(tree))
        doc.text, found = self.extractor(tree, url)
        doc.metadata.update(found)
        return doc

    def clean_text(self, doc: Document) -> Document:
        """The text stages, then the language."""
        self.fixer.forget()  # it remembers this document's clean lines from one round to the next
        for _ in range(_MAX_ROUNDS):
            before = doc.text
            for stage in self.text_stages:
                doc = stage(doc)
            if doc.text == before:
                break
        return self.language(doc)


def _select(rules: list[AnyRule], config: Config) -> list[AnyRule]:
    """Apply the config's ``enable``/``disable`` lists; unknown ids are an error."""
    known = {rule.id for rule in rules}
    unknown = sorted((config.enable | config.disable) - known)
    if unknown:
        raise RuleError(f"unknown rule id(s) in enable/disable: {', '.join(unknown)}", config.source)
    for rule in rules:
        if rule.id in config.enable:
            rule.enabled = True
        if rule.id in config.disable:
            rule.enabled = False
    return rules


_default: Cleaner | None = None


def clean(data: str | bytes, id: str = "", metadata: dict[str, Any] | None = None) -> Document:
    """Clean one document with the default configuration (the cleaner is built on first use).

    The result has ``.text``, ``.language``, ``.language_score``, ``.edits`` and ``.metadata``.
    """
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean(data, id=id, metadata=metadata)
