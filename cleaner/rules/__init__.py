"""The rule engine: YAML packs loaded and validated, the rule kinds, the regex engines (RE2 and a
time-limited ``re``) and the prefilter that skips the rules that cannot match."""
