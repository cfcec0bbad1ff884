"""``cleaner learn``: a site's boilerplate learned from a batch of its documents, as a rule pack.

:mod:`~cleaner.learn.lines` keys a line (its digits masked) and tells prose from page furniture;
:mod:`~cleaner.learn.count` counts keyed lines per site with bounded memory (lossy counting);
:mod:`~cleaner.learn.judge` decides which candidates become rules and why the others do not;
:mod:`~cleaner.learn.write` writes the pack (regexes, descriptions, examples) and the report.
The core reads no file: the batch layer feeds it cleaned texts (:mod:`cleaner.cli.learn`).
"""
