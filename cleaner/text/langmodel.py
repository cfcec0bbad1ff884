"""langdetect's seeded algorithm, made fast: same profiles, same random draws, same answer.

A speed-up that must stay equal to langdetect (seed 0, profiles in sorted order): the same
probabilities, bit for bit, on every text.

langdetect (``Detector._detect_block``) extracts the 1-3-grams of the text character by
character, then, seven times, multiplies 55 language probabilities by the profile values
of randomly drawn n-grams, in a Python loop per language. Here:

- the profiles are one matrix (a row per n-gram, a column per language), built once;
- a word's n-grams are computed once per distinct word (they never depend on context:
  langdetect's n-gram buffer restarts at each space), so extraction is a dict lookup per word;
- each update multiplies a row of the matrix into the probability vector with numpy.

Every floating-point operation is langdetect's own, element by element and in the same
order (``sum`` is Python's), and the random draws are those of the same seeded generator in
the same order (drawn ahead in bulk: :mod:`cleaner.text.langdraws`), so the probabilities are
bit-identical to langdetect's loaded with the profiles in the same (sorted) order. ``tests/test_speed_equivalence.py`` checks it.
"""
from __future__ import annotations

import json
import os
import re
from array import array
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain, islice
from typing import Callable, Union

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.utils.ngram import NGram

from cleaner.pins import require
from cleaner.text.langdraws import _Draws, _PlainDraws, _draws_match

require("langdetect", None)

_SPACE_RUN = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect counts 'A' <= ch <= 'z' as Latin, [ \\ ] ^ _ ` included
_NOT_LATIN_BYTES = bytes(code for code in range(256) if not ord("A") <= code <= ord("z"))
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_VI_MARK = re.compile("[" + NGram.DMARK_CLASS + "]")
_WORD_CACHE_SIZE = 1 << 16
_ROW_TYPE = "i"
TRIALS = 7  # Detector.n_trial
CONV_THRESHOLD, ITERATION_LIMIT = Detector.CONV_THRESHOLD, Detector.ITERATION_LIMIT
multiply_rows, divide = np.multiply.reduce, np.divide
AHEAD_BLOCKS = 8  # blocks of 5 updates whose factors are taken at once
Settled = Callable[[np.ndarray, float], bool]
_STOPPED_KEPT = 4  # detections stopped before their last trial, kept to go on with


@dataclass(frozen=True)
class Progress:
    """A detection stopped after its first ``trials`` trials: their sum, and the draws that come
    next (a copy: going on from it takes nothing from it)."""

    total: np.ndarray
    trials: int
    draws: Union[_Draws, _PlainDraws]


class _NormaliseTable(dict):
    """``str.translate`` table applying ``NGram.normalize`` per character, filled on demand."""

    def __missing__(self, code: int) -> str:
        self[code] = NGram.normalize(chr(code))
        return self[code]


def _separator_pattern() -> re.Pattern[str]:
    """Runs of the characters ``NGram.normalize`` turns into a space (all in the BMP: the
    blocks it maps are Basic Latin, Latin-1 and General Punctuation)."""
    spaces = [code for code in range(0x10000) if NGram.normalize(chr(code)) == " "]
    ranges, start = [], spaces[0]
    for previous, code in zip(spaces, spaces[1:] + [-1]):
        if code != previous + 1:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else ""))
            start = code
    return re.compile("[" + "".join(ranges) + "]+")


class _Memo(dict):
    """``function(key)``, computed on first use and kept; the older half goes when full."""

    def __init__(self, function: Callable[[str], bytes], size: int):
        super().__init__()
        self.function, self.size = function, size

    def __missing__(self, key: str) -> bytes:
        if len(self) >= self.size:
            for old in list(islice(self, self.size // 2)):
                self.pop(old, None)  # another thread may have dropped it
        value = self[key] = self.function(key)
        return value


def _in_capital_runs(chars: str) -> set[int]:
    """Positions where ``NGram.capitalword`` is set: from the 2nd capital of a run of capitals."""
    positions, capital = set(), False
    for end in range(1, len(chars)):
        if chars[end].isupper():
            capital = capital or chars[end - 1].isupper()
        else:
            capital = False
        if capital:
            positions.add(end)
    return positions


def profile_files(directory: str = PROFILES_DIRECTORY) -> list[str]:
    """The profile files, sorted by name so the language order is the same on every machine."""
    return sorted(os.path.join(directory, name) for name in os.listdir(directory)
                  if not name.startswith(".") and os.path.isfile(os.path.join(directory, name)))


class LanguageModel:
    """The langdetect profiles as a matrix, and its seeded detection algorithm."""

    def __init__(self, directory: str = PROFILES_DIRECTORY, seed: int = 0, max_text_length: int = 10000):
        self.seed, self.max_text_length = seed, max_text_length  # langdetect's defaults
        profiles = []
        for path in profile_files(directory):
            with open(path, encoding="utf-8") as handle:
                profiles.append(json.load(handle))
        self.languages: list[str] = [profile["name"] for profile in profiles]
        grams = [[gram for gram in profile["freq"] if 1 <= len(gram) <= NGram.N_GRAM] for profile in profiles]
        self.index: dict[str, int] = {gram: row for row, gram in enumerate(dict.fromkeys(chain(*grams)))}
        self.matrix = np.zeros((len(self.index), len(self.languages)))
        for column, (profile, found) in enumerate(zip(profiles, grams)):
            rows = np.fromiter(map(self.index.__getitem__, found), dtype=np.intp, count=len(found))
            counts = np.fromiter(map(profile["freq"].__getitem__, found), dtype=float, count=len(found))
            lengths = np.fromiter(map(len, found), dtype=np.intp, count=len(found))
            # 1.0 * count / n_words[len(gram) - 1], as DetectorFactory.add_profile: the same division
            self.matrix[rows, column] = counts / np.array(profile["n_words"], dtype=float)[lengths - 1]
        self._separators = _separator_pattern()
        self._memos()

    def _memos(self) -> None:
        self._normalise = _NormaliseTable()
        self._words = _Memo(self._word_rows, _WORD_CACHE_SIZE)  # word followed by a space → rows
        self._buffers = _Memo(self._buffer_rows, _WORD_CACHE_SIZE)  # n-gram buffer → rows
        self._stopped: OrderedDict[str, Progress] = OrderedDict()  # text → where its detection stopped

    def __getstate__(self) -> dict:
        """What a pickle keeps (:mod:`cleaner.cache`): the profiles, not the words seen so far."""
        return {name: value for name, value in self.__dict__.items()
                if name not in ("_normalise", "_words", "_buffers", "_stopped")}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._memos()

    def prepare(self, text: str) -> str:
        """The text langdetect looks at: ``Detector.append`` then ``Detector.cleaning_text``."""
        if "://" in text:
            text = Detector.URL_RE.sub(" ", text)
        if "@" in text:
            text = Detector.MAIL_RE.sub(" ", text)
        if _VI_MARK.search(text):
            text = NGram.normalize_vi(text)
        text = text[:self.max_text_length]
        if "  " in text:
            text = _SPACE_RUN.sub(" ", text)
        if text.isascii():
            return text
        non_latin = len(_NON_LATIN.findall(text))
        latin = len(text.encode("ascii", "ignore").translate(None, _NOT_LATIN_BYTES))
        return _LATIN.sub("", text) if latin * 2 < non_latin else text

    def ngram_rows(self, text: str) -> array[int]:
        """Matrix rows of the n-grams langdetect extracts from ``text``, in its order."""
        words = self._separators.split(self.prepare(text))
        rows = array(_ROW_TYPE, b"".join(map(self._words.__getitem__, words[:-1])))  # each + space
        rows.frombytes(self._word_rows(words[-1], space_after=False))
        return rows

    def _word_rows(self, word: str, space_after: bool = True) -> bytes:
        """``NGram.add_char`` and ``Detector._extract_ngrams`` over `` word`` (and a space).

        After each character, langdetect's buffer holds the last 3 characters (2 after the
        first), and it takes its 1-, 2- and 3-gram, unless inside a run of capitals.
        """
        chars = " " + word.translate(self._normalise)
        buffers = [chars[:2]] + [chars[end - 2:end + 1] for end in range(2, len(chars))] if word else []
        if any(map(str.isupper, chars)):
            skip = _in_capital_runs(chars)
            buffers = [buffer for end, buffer in enumerate(buffers, 1) if end not in skip]
        if space_after and word:
            buffers.append(chars[-2:] + " ")
        return b"".join(map(self._buffers.__getitem__, buffers))

    def _buffer_rows(self, buffer: str) -> bytes:
        """Rows of the 1-, 2- and 3-gram at the end of a buffer (a lone space is no 1-gram)."""
        grams = [gram for gram in (buffer[-1], buffer[-2:], buffer[-3:] if len(buffer) == 3 else "")
                 if gram in self.index and gram != " "]
        return array(_ROW_TYPE, [self.index[gram] for gram in grams]).tobytes()

    def probabilities(self, text: str, settled: Settled | None = None) -> np.ndarray | None:
        """langdetect's averaged language probabilities (``None`` for text without features).

        ``settled(total, left)``, when given, is asked after each trial with the sum so far and
        the most any language can still gain (each trial adds at most 1/7 to one): when it says
        yes, the trials stop there and the partial sum is returned (what it must settle, such as
        which language leads, the remaining trials can no longer change). Where a detection of
        the same text stopped so is kept (a few texts), and a whole detection of that text goes
        on from there: the same trials, in the same order, as if it had not stopped."""
        stopped = self._stopped.get(text) if settled is None else None
        if stopped is not None:
            return self._go_on(text, stopped.total.copy(), stopped.trials, stopped.draws.copy(), None)
        rows = self.ngram_rows(text)
        if not rows:
            return None
        draws = (_Draws if _draws_match(self.seed) else _PlainDraws)(self.seed, rows)
        return self._go_on(text, np.zeros(len(self.languages)), 0, draws, settled)

    def _go_on(self, text: str, total: np.ndarray, done: int, draws: _Draws | _PlainDraws,
               settled: Settled | None) -> np.ndarray:
        """The trials of ``text``'s detection after the first ``done`` (their sum: ``total``),
        until ``settled`` says so or all are done. Where it stops early is kept (the oldest of
        ``_STOPPED_KEPT`` goes)."""
        for trial in range(done, TRIALS):
            alpha = Detector.ALPHA_DEFAULT + draws.gauss() * Detector.ALPHA_WIDTH
            total += self._trial(draws, alpha / Detector.BASE_FREQ) / TRIALS
            if settled is not None and trial < TRIALS - 1 and settled(total, (TRIALS - 1 - trial) / TRIALS):
                if len(self._stopped) >= _STOPPED_KEPT:
                    with suppress(KeyError):  # another thread may have emptied it
                        self._stopped.popitem(last=False)
                self._stopped[text] = Progress(total.copy(), trial + 1, draws.copy())
                break
        return total

    def _trial(self, draws: _Draws | _PlainDraws, weight: float) -> np.ndarray:
        """One trial of ``Detector._detect_block``: the probabilities it ends with.

        langdetect multiplies the probabilities by one n-gram's factors (profile value plus
        ``weight``) per update and normalises after update 0, then after every 5th, until one
        language passes ``CONV_THRESHOLD`` or ``ITERATION_LIMIT`` updates are done. The factors of
        the next few blocks of updates are taken at once into ``blocks[:, 1:]`` (a block's
        probabilities go in ``blocks[:, 0]``); the first block is padded with factors 1.0, which
        change nothing, so every block is the probabilities times five factors, row by row."""
        size = len(self.languages)
        probabilities, step = np.full(size, 1.0 / size), 0
        while True:
            first = step == 0  # block 0 is update 0 alone
            count = AHEAD_BLOCKS * 5 - 4 * first
            picked = draws.ahead(count)
            if first:
                picked = np.concatenate((np.zeros(4, dtype=picked.dtype), picked))
            blocks = np.empty((AHEAD_BLOCKS + 1, 6, size))
            np.add(self.matrix.take(picked, axis=0).reshape(AHEAD_BLOCKS, 5, size), weight, out=blocks[:-1, 1:])
            if first:
                blocks[0, 1:5] = 1.0
            blocks[0, 0] = probabilities
            heads = blocks[:, 0]  # each block's probabilities: the last one's normalised
            for number in range(AHEAD_BLOCKS):
                prob = heads[number + 1]
                multiply_rows(blocks[number], axis=0, out=prob)  # row by row, in order
                values = prob.tolist()
                norm = sum(values)  # Python's float sum, as Detector._normalize_prob
                divide(prob, norm, out=prob)
                if max(values) / norm > CONV_THRESHOLD or step >= ITERATION_LIMIT:
                    draws.skip(5 * (number + 1) - 4 * first)
                    return prob
                step += 5
            draws.skip(count)
            probabilities = blocks[-1, 0]

    def detect(self, text: str) -> tuple[str, float] | None:
        """``(language, probability)`` of langdetect's first answer, or ``None`` when it has none."""
        return self.best(self.probabilities(text))

    def best(self, total: np.ndarray | None) -> tuple[str, float] | None:
        """langdetect's first answer given its probabilities (:meth:`probabilities`)."""
        if total is None:
            return None
        best = int(np.argmax(total))
        if total[best] <= Detector.PROB_THRESHOLD:
            return None
        return self.languages[best], float(total[best])
