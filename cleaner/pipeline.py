"""The pipeline: bytes are read into a :class:`Document`, then every stage runs on it in turn.

    decode ─► parse ─► prune ─► extract ─►
        text: [language-in ─► fix ─► rules ─► shapes ─► repair ─► normalise]* ─► language

(``language-in`` is inside the fixed point: the packs of a language run only on documents in
it, so the text comes out as one on which the language found and its rules agree.)

``Cleaner.stages`` is that list (the HTML stages pass a text document through; ``text`` runs its
stages to a fixed point, a text past 500,000 characters block by block: :mod:`cleaner.text.blocks`). Each stage is a callable ``Document -> Document`` (:mod:`cleaner.stage`);
a user adds one of their own with :meth:`Cleaner.insert`.
"""
from __future__ import annotations

from typing import Any

from cleaner.config import Config, load_config
from cleaner.document import Document
from cleaner.errors import RuleError, RuleTimeout
from cleaner.html.extract import HtmlExtractor, ParseHtml
from cleaner.html.prune import HtmlRule, Pruner
from cleaner.html.sniff import decode_input, has_html_suffix, looks_like_html
from cleaner.rules.kinds import Rule
from cleaner.rules.pack import AnyRule, load_packs_cached
from cleaner.rules.shapes import ShapeRule
from cleaner.rules.stage import RuleSet, ShapeSet
from cleaner.stage import FixedPoint, Stage, find
from cleaner.text.blocks import Blockwise
from cleaner.text.fix import Fixer
from cleaner.text.language import INPUT_SAMPLE_CHARS, LanguageDetector, language_model
from cleaner.text.normalise import Normaliser
from cleaner.text.repair import Repairer

TEXT_ROUNDS = 4  # rounds of the text stages at most, before the text stops changing


class Cleaner:
    """Build once from a :class:`Config` (rules compiled, examples checked: both kept in the
    cache of :mod:`cleaner.cache` until a pack changes), reuse for many documents."""

    def __init__(self, config: Config | None = None):
        self.config = config or load_config()
        self.rules: list[AnyRule] = _select(load_packs_cached(self.config.packs, self.config.rules), self.config)
        self.stages: list[Stage] = [
            ParseHtml(),
            Pruner(rule for rule in self.rules if isinstance(rule, HtmlRule)),
            HtmlExtractor(self.config.html),
            Blockwise(FixedPoint([
                LanguageDetector("language-in", INPUT_SAMPLE_CHARS, label_only=True),
                Fixer(self.config.fix),
                RuleSet([rule for rule in self.rules if isinstance(rule, Rule)], self.config.rule_time_limit),
                ShapeSet([rule for rule in self.rules if isinstance(rule, ShapeRule)], self.config.context,
                         self.config.html.include_comments),
                Repairer(self.config.dangling_words, self.config.elisions, self.config.one_letter_words),
                Normaliser(),
            ], rounds=TEXT_ROUNDS)),
            LanguageDetector(),
        ]

    def warm(self) -> "Cleaner":
        """Load now what the first document would load (the language model), so that worker
        processes forked from this one share it instead of each loading its own."""
        language_model()
        return self

    def stage(self, name: str) -> Stage:
        """The stage called ``name`` (``"fix"``, ``"rules"``, ...), inside ``text`` too."""
        stages, position = find(self.stages, name)
        return stages[position]

    def insert(self, stage: Stage, *, after: str | None = None, before: str | None = None) -> None:
        """Add ``stage`` right after (or before) the stage of that name; inside the ``text``
        stages, it runs to the fixed point with them. ``KeyError`` for an unknown name."""
        if (after is None) == (before is None):
            raise TypeError("give one of after= or before=")
        stages, position = find(self.stages, after or before or "")
        stages.insert(position + (after is not None), stage)

    def clean(self, data: str | bytes, id: str = "", metadata: dict[str, Any] | None = None,
              path: str | None = None, url: str | None = None) -> Document:
        """Clean one document given as text or bytes; raises :class:`InputError` on bad bytes.

        HTML (told by its content, or by a ``.html``/``.htm`` ``path``) is pruned by the HTML
        rules and extracted first; ``url`` is the page's address, when known.
        """
        return self.run(self.read(data, id, metadata, path, url))

    def read(self, data: str | bytes, id: str = "", metadata: dict[str, Any] | None = None,
             path: str | None = None, url: str | None = None) -> Document:
        """The document of ``data``: bytes unpacked and decoded (``metadata.encoding``), and
        whether it is an HTML page. The page's bytes are read with the charset it declares: told
        by their start, they may say otherwise than the decoded text (a BOM, UTF-16, a block
        that closes past the first 4 KiB), which decides whether the HTML stages run."""
        metadata = dict(metadata or {})
        html_name = has_html_suffix(path)
        if isinstance(data, bytes):
            data, metadata["encoding"] = decode_input(data, path or id or "<bytes>", html_name)
        html = html_name or looks_like_html(data)
        return Document(text=data, id=id, metadata=metadata, path=path, url=url, html=html, page=html)

    def run(self, doc: Document) -> Document:
        """Every stage, in order, on a document :meth:`read` gave."""
        path = doc.path
        try:
            for stage in self.stages:
                doc = stage(doc)
        except RuleTimeout as exc:
            raise RuleTimeout(exc.reason, path or exc.path) from None
        return doc


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
