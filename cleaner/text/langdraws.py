"""The random draws of langdetect's seeded algorithm, drawn ahead in bulk.

A speed-up that must stay equal to ``random.Random(seed)`` as langdetect uses it: the same
n-gram picked at each update and the same ``gauss`` value at each trial.

``Random.choice(rows)`` takes 32-bit words of the Mersenne Twister, one at a time, keeping
the first whose top ``k`` bits (``k`` the bit length of ``len(rows)``) are below ``len(rows)``;
``Random.gauss`` takes four words every second call (two ``random()``, of two words each) and
keeps the second value it computes for the next call. With a fixed seed the stream of words is
always the same: it is drawn once per process and kept (:func:`_stream`), and for a given
number of rows the words kept, and the rows they pick, are found for a whole stretch of the
stream with numpy at once. :func:`_draws_match` checks the emulation against ``random`` itself
once per process; when it differs (another Python's generator), :class:`_PlainDraws` is used.
"""
from __future__ import annotations

import math
import random
from array import array
from functools import lru_cache

import numpy as np

_STRETCH = 4096  # words looked at first; doubled whenever the draws run past them
_stream_words: dict[int, np.ndarray] = {}


def _stream(seed: int, length: int) -> np.ndarray:
    """The first ``length`` (or more) 32-bit words of ``random.Random(seed)``."""
    words = _stream_words.get(seed)
    if words is None or len(words) < length:
        generator = random.Random(seed)
        size = max(length, 2 * len(words) if words is not None else length)
        words = np.fromiter((generator.getrandbits(32) for _ in range(size)), dtype=np.uint32, count=size)
        _stream_words[seed] = words
    return words


def _random(first: int, second: int) -> float:
    """``Random.random()`` from the two words it takes (CPython's ``genrand_res53``)."""
    return ((first >> 5) * 67108864.0 + (second >> 6)) * (1.0 / 9007199254740992.0)


class _Draws:
    """The draws of one detection: ``gauss()`` at each trial, ``ahead(n)`` the rows of the next
    ``n`` updates and ``skip(n)`` to take them, in the order langdetect takes them from its
    seeded generator."""

    def __init__(self, seed: int, rows: array[int]):
        self.seed, self.count = seed, len(rows)
        self.shift = 32 - self.count.bit_length()
        self.candidates = np.frombuffer(rows, dtype=np.intc) if rows.itemsize == np.dtype(np.intc).itemsize \
            else np.asarray(rows, dtype=np.intp)
        self.position = 0  # the next word of the stream
        self.taken = 0  # draws handed out so far
        self.spare: float | None = None  # gauss's second value
        self._look(_STRETCH)

    def _look(self, length: int) -> None:
        """Find the words kept by ``choice``, and the rows they pick, in the first ``length`` words."""
        self.words = _stream(self.seed, length)[:length]
        picks = self.words >> self.shift
        self.kept = np.flatnonzero(picks < self.count)  # positions of the words choice keeps
        self.picked = self.candidates.take(picks[self.kept])

    def copy(self) -> "_Draws":
        """The draws from this point on, taken apart from these (the arrays are shared: never
        changed in place, only replaced)."""
        twin = _Draws.__new__(_Draws)
        twin.__dict__.update(self.__dict__)
        return twin

    def ahead(self, n: int) -> np.ndarray:
        """The rows of the next ``n`` updates, not yet taken (:meth:`skip` takes them)."""
        while self.taken + n > len(self.kept):
            self._look(2 * len(self.words))
        return self.picked[self.taken:self.taken + n]

    def skip(self, n: int) -> None:
        """Take the next ``n`` draws (those :meth:`ahead` showed, or some of them)."""
        self.ahead(n)
        self.taken += n
        self.position = int(self.kept[self.taken - 1]) + 1

    def gauss(self) -> float:
        """``Random.gauss(0.0, 1.0)`` at this point of the stream."""
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while self.position + 4 > len(self.words):
            self._look(2 * len(self.words))
        a, b, c, d = (int(word) for word in self.words[self.position:self.position + 4])
        self.position += 4
        self.taken = int(np.searchsorted(self.kept, self.position))
        x2pi = _random(a, b) * (2.0 * math.pi)
        g2rad = math.sqrt(-2.0 * math.log(1.0 - _random(c, d)))
        self.spare = math.sin(x2pi) * g2rad
        return math.cos(x2pi) * g2rad


class _PlainDraws:
    """The same draws from ``random.Random(seed)`` itself, one call each."""

    def __init__(self, seed: int, rows: array[int]):
        self.generator, self.candidates = random.Random(seed), rows

    def copy(self) -> "_PlainDraws":
        """The draws from this point on, taken apart from these."""
        twin = _PlainDraws.__new__(_PlainDraws)
        twin.generator, twin.candidates = random.Random(), self.candidates
        twin.generator.setstate(self.generator.getstate())
        return twin

    def ahead(self, n: int) -> np.ndarray:
        state = self.generator.getstate()
        rows = [self.generator.choice(self.candidates) for _ in range(n)]
        self.generator.setstate(state)
        return np.array(rows, dtype=np.intp)

    def skip(self, n: int) -> None:
        for _ in range(n):
            self.generator.choice(self.candidates)

    def gauss(self) -> float:
        return self.generator.gauss(0.0, 1.0)


@lru_cache(maxsize=None)
def _draws_match(seed: int) -> bool:
    """Whether :class:`_Draws` gives what ``random.Random(seed)`` gives here, for a few sizes."""
    for count in (1, 3, 1000, 70001):
        rows = array("i", range(count))
        fast, plain = _Draws(seed, rows), _PlainDraws(seed, rows)
        for block in (1, 5, 5, 1, 5, 1, 200):
            if fast.gauss() != plain.gauss() or fast.ahead(block + 3).tolist() != plain.ahead(block + 3).tolist():
                return False
            fast.skip(block), plain.skip(block)
    return True
