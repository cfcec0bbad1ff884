"""seeds/ holds articles as the project keeps them: already clean."""
from __future__ import annotations

import pytest

from conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def test_there_are_seeds():
    assert SEED_FILES


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_seed_file_is_clean(cleaner, path):
    text = path.read_text(encoding="utf-8")
    assert cleaner.clean(text).text == text
