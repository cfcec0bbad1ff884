"""The text stages, in pipeline order after the rules: fix (ftfy), repair, normalise, language."""
