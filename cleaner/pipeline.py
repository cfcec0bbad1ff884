"""The pipeline: decode → fix → rules → repair → normalise → language, one stage per module."""
from __future__ import annotations

from typing import Any, Callable

from .config import Config, load_config
from .decode import decode
from .document import Document
from .errors import RuleError, RuleTimeout
from .fix import Fixer
from .language import LanguageDetector
from .normalise import Normaliser
from .repair import Repairer
from .rulepack import load_packs
from .rules import Rule, RuleSet

Stage = Callable[[Document], Document]
# The text stages run to a fixed point, so that cleaning twice is cleaning once: ftfy decides
# line by line and a rule sees lines as they are when it runs, so a line that a later stage
# shortened or joined may only now read as mojibake or match a rule.
_MAX_ROUNDS = 4


class Cleaner:
    """Build once from a :class:`Config` (rules compiled, examples checked), reuse for many documents."""

    def __init__(self, config: Config | None = None):
        self.config = config or load_config()
        self.rules: list[Rule] = _select(load_packs(self.config.packs, self.config.rules), self.config)
        self.fixer = Fixer(self.config.fix)
        self.text_stages: list[Stage] = [
            self.fixer,
            RuleSet(self.rules, self.config.rule_time_limit),
            Repairer(self.config.dangling_words),
            Normaliser(),
        ]
        self.language = LanguageDetector()

    def clean(self, data: str | bytes, id: str = "", metadata: dict[str, Any] | None = None,
              path: str | None = None) -> Document:
        """Clean one document given as text or bytes; raises :class:`InputError` on bad bytes."""
        metadata = dict(metadata or {})
        if isinstance(data, bytes):
            data, metadata["encoding"] = decode(data, path or id or "<bytes>")
        doc = Document(text=data, id=id, metadata=metadata)
        try:
            for _ in range(_MAX_ROUNDS):
                before = doc.text
                for stage in self.text_stages:
                    doc = stage(doc)
                if doc.text == before:
                    break
        except RuleTimeout as exc:
            exc.path = path or exc.path
            raise RuleTimeout(exc.reason, exc.path) from None
        return self.language(doc)


def _select(rules: list[Rule], config: Config) -> list[Rule]:
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
