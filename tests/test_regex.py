"""The rule regex engine: RE2 and re give the same bytes; catastrophic patterns cannot hang a batch."""
from __future__ import annotations

import re
import signal
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, InputError, RuleError, load_config
from cleaner.errors import RuleTimeout
from cleaner.rules.regex import Regex, RegexTimeout, Unsupported, time_limit
from cleaner.rules.template import compile_template, expand
from cleaner.rules.pack import load_pack, load_packs
from cleaner.rules.kinds import Rule

REALNEWS = Path(__file__).resolve().parents[1].parent / "shared" / "realnews" / "scraped-dev" / "dumps"
# the text rules (HTML rules use CSS and XPath, not regexes)
BY_RE = {rule.id: rule for rule in load_packs(["*"], engine="re") if isinstance(rule, Rule)}
BY_AUTO = {rule.id: rule for rule in load_packs(["*"], engine="auto") if isinstance(rule, Rule)}
# the built-in rules RE2 can run (the teaser boxes and lines look ahead at the next lines: re)
BY_RE2 = {rule_id: rule for rule_id, rule in BY_AUTO.items() if rule.engine == "re2"}


def spans(regex: Regex, text: str, engine: str) -> list[tuple]:
    """Match spans by ``re`` itself, by the backtracking engine that runs under the time limit
    (``bounded``), or as the rules find them (RE2 where the pattern allows)."""
    matches = {"re": regex.python.finditer, "bounded": regex.bounded.finditer}.get(engine, regex.finditer)(text)
    return [tuple(m.span(g) for g in range(regex.groups + 1)) for m in matches]


def test_most_builtin_rules_run_on_re2_and_the_rest_say_why():
    assert len(BY_RE2) >= len(BY_AUTO) * 2 // 3
    reasons = {rule.pattern.fallback_reason for rule in BY_AUTO.values() if rule.engine == "re"}
    assert reasons <= {"a look-around", "Unicode \\b"}, reasons


@pytest.mark.parametrize("rule_id", sorted(BY_RE2))
def test_builtin_rule_examples_give_the_same_bytes_on_both_engines(rule_id):
    on_re, on_re2 = BY_RE[rule_id], BY_RE2[rule_id]
    assert on_re.engine == "re" and on_re2.engine == "re2"
    for example in on_re.examples:
        got_re, edits_re = on_re.apply(example.input)
        got_re2, edits_re2 = on_re2.apply(example.input)
        assert got_re == got_re2 == example.output
        assert edits_re == edits_re2


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="needs ../shared/realnews beside the repository")
def test_builtin_rules_give_the_same_bytes_on_real_dumps():
    texts = [path.read_text(encoding="utf-8") for path in sorted(REALNEWS.glob("*.txt"))]
    assert len(texts) >= 20
    changed = 0
    for text in texts:
        for rule_id, rule in BY_RE.items():
            if rule_id not in BY_RE2:
                continue
            got_re = rule.apply(text)
            assert BY_RE2[rule_id].apply(text) == got_re, rule_id
            changed += bool(got_re[1])
    assert changed > 10  # the rules do fire on these pages, so the comparison means something


# Python's own patterns, chosen where RE2's defaults differ from re: Unicode \w \d \s, case
# folding of ſ K ß Σ İ, [Xx] pairs that RE2 folds to "any case", ^ $ in multi-line mode, lazy loops.
DIFFERENTIAL = [
    (r"\w+", 0, "fenêtre d’Ελλάδα ١٢٣ x_y 😀"),
    (r"\d+", 0, "١٢٣ 123 ¹²"),
    (r"\s+", 0, "a\u00a0b\u2003c\x1cd\x85e"),
    (r"[^\w\s]+", 0, "«Paris» — ok!"),
    (r"k|s", re.I, "K k \u212a ſ S"),
    (r"(?:[Aa]|[Ss])+", 0, "ſ sa AS"),
    (r"σ+", re.I, "ΣσςΣ"),
    (r"i", re.I, "İ ı I i"),
    (r"(?i:straße)", 0, "STRASSE Straße STRAẞE"),
    (r"^\s*(\w+)\s*$", re.M, "  un  \n\ndeux\ntrois quatre\n"),
    (r"a.+?b", re.S, "a\n b b"),
    (r"(a|ab)(c|bcd)(d*)", 0, "abcd"),
    (r"\((?:nouvelle fenêtre|nouvel onglet)\)", re.I, "x (Nouvelle FENÊTRE) (nouvel onglet)"),
    (r"(?a)\w+", 0, "fenêtre"),
    (r"\[([^\[\]\n]+)\]\(https?://[^()\s]*\)", 0, "[é](https://x.fr/a) [b](http://y)"),
]


@pytest.mark.parametrize("source,flags,text", DIFFERENTIAL, ids=[d[0] for d in DIFFERENTIAL])
def test_translated_patterns_match_what_re_matches(source, flags, text):
    regex = Regex(source, flags, engine="re2")
    assert spans(regex, text, "re2") == spans(regex, text, "re")


@pytest.mark.parametrize("char", ["k", "s", "i", "σ", "ǅ", "é", "ß", "1"])
def test_ignore_case_sets_are_exactly_re_sets_over_all_code_points(char):
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    regex = Regex(re.escape(char), re.I, engine="re2")
    assert spans(regex, everything, "re2") == spans(regex, everything, "re")


FALLBACK = [
    (r"(?<=a)b", "a look-around"),
    (r"(a)\1", "a back-reference"),
    (r"\bword\b", r"Unicode \b"),
    (r"x$", "$ outside multi-line mode"),
    (r"a*", "it can match the empty string"),
    (r"(?:a?)+b", "a repeated part that can match the empty string"),
]


@pytest.mark.parametrize("source,reason", FALLBACK, ids=[f[0] for f in FALLBACK])
def test_patterns_re2_cannot_run_alike_stay_on_re(source, reason):
    regex = Regex(source)
    assert regex.engine == "re" and regex.fallback_reason == reason
    with pytest.raises(Unsupported):
        Regex(source, engine="re2")


def test_text_with_lone_surrogates_is_matched_by_re():
    regex = Regex(r"\w+", engine="re2")
    assert [m.group() for m in regex.finditer("ab\ud800cd")] == ["ab", "cd"]


def test_catastrophic_pattern_runs_in_linear_time_on_re2():
    regex = Regex(r"(a+)+$", re.M)
    assert regex.engine == "re2"
    with time_limit(5):  # backtracking would take longer than the universe has
        assert regex.search("a" * 100_000 + "b") is None
        assert regex.search("a" * 100_000).span() == (0, 100_000)


TEMPLATES = [
    (r"(\w+) (\w+)", r"\2 \1", "un deux", "deux un"),
    (r"(?P<first>\w+) (\w+)", r"\g<2>-\g<first>-\g<0>", "un deux", "deux-un-un deux"),
    (r"(a)|(b)", r"[\1\2]", "b", "[b]"),
    (r"x", r"\n\t\\", "x", "\n\t\\"),
    (r"(x)", "\\101\\1\\0", "x", "Ax\x00"),
    (r"x", "\U000f0000 plain", "x", "\U000f0000 plain"),
]


@pytest.mark.parametrize("source,template,text,expected", TEMPLATES, ids=[t[1] for t in TEMPLATES])
def test_templates_expand_as_re_expands_them(source, template, text, expected):
    python = re.compile(source)
    assert python.sub(template, text) == expected
    compiled = compile_template(template, python)
    for engine in ("re", "re2"):
        regex = Regex(source, engine=engine) if engine == "re" or Regex(source).engine == "re2" else None
        if regex is not None:
            assert "".join(expand(compiled, m) for m in regex.finditer(text)) == expected


@pytest.mark.parametrize("template", [r"\3", r"\g<nope>", r"\q", "\\"])
def test_bad_templates_are_refused_like_re_refuses_them(template):
    with pytest.raises((re.error, IndexError)):
        compile_template(template, re.compile(r"(a)(b)"))


def write_pack(tmp_path: Path, rule: str, name: str = "slow.yaml") -> Path:
    path = tmp_path / name
    path.write_text("pack: slow\ndescription: a rule that backtracks\nrules:\n" + rule, encoding="utf-8")
    return path


SLOW_RULE = """\
  - id: runaway
    description: alternatives that overlap, repeated, then a look-ahead, which RE2 cannot run
    delete: '(a|aa)+(?=c)'
    examples: [{in: "aac", out: "c"}]
"""


def test_runaway_fallback_rule_fails_the_document_naming_rule_and_document(tmp_path):
    pack = write_pack(tmp_path, SLOW_RULE)
    (tmp_path / "cleaner.toml").write_text('rules = ["slow.yaml"]\nrule-time-limit = 0.3\n')
    cleaner = Cleaner(load_config(tmp_path / "cleaner.toml"))
    assert cleaner.clean("aaac fin").text == "c fin\n"
    with pytest.raises(RuleTimeout) as info:
        cleaner.clean(("a" * 40 + "b\n").encode(), id="doc", path="in/doc.txt")
    message = str(info.value)
    assert message.startswith("in/doc.txt: rule 'runaway' ") and f"{pack}:4" in message
    assert "time limit of 0.3 s" in message and isinstance(info.value, InputError)
    assert cleaner.clean("a b c").text == "a b c\n"  # the cleaner is still usable afterwards


def test_runaway_example_is_a_rule_error(tmp_path):
    rule = SLOW_RULE.replace('{in: "aac", out: "c"}', '{in: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", out: "x"}')
    with pytest.raises(RuleError, match="rule 'runaway' took over"):
        load_pack(write_pack(tmp_path, rule))
    pack = write_pack(tmp_path, rule, "again.yaml")
    failures = load_pack(pack, check=False)[1][0].check_examples(seconds=0.2)
    assert [f.line for f in failures] == [7]  # the example's line


def test_time_limit_sets_no_signal_handler_and_no_timer():
    handler = signal.getsignal(signal.SIGALRM)
    with pytest.raises(RegexTimeout):
        with time_limit(0.2):
            assert signal.getsignal(signal.SIGALRM) is handler
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
            Regex(CATASTROPHIC, engine="re").search("a" * 60 + "b")
    assert signal.getsignal(signal.SIGALRM) is handler


CATASTROPHIC = r"(a|aa)+(?=c)"  # exponential on a backtracking engine, on a run of a's without c


def test_time_limit_bounds_a_runaway_rule_on_other_threads_at_once(tmp_path):
    """A Dask thread worker or a web server cleans off the main thread, several at a time."""
    write_pack(tmp_path, SLOW_RULE)
    (tmp_path / "cleaner.toml").write_text('rules = ["slow.yaml"]\nrule-time-limit = 0.3\n')
    cleaner = Cleaner(load_config(tmp_path / "cleaner.toml"))
    results: list[object] = []

    def clean() -> None:
        try:
            results.append(cleaner.clean("a" * 60 + "b\n", id="doc").text)
        except RuleTimeout as exc:
            results.append(exc)

    start = time.monotonic()
    threads = [threading.Thread(target=clean, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a runaway rule ran unbounded on a thread"
    assert len(results) == 3 and all(isinstance(r, RuleTimeout) and "rule 'runaway'" in str(r) for r in results)
    assert time.monotonic() - start < 30
    assert cleaner.clean("Un texte.").text == "Un texte.\n"  # fine documents still clean on the main thread


def test_backtracking_engine_reads_flags_as_re_does():
    # re.ASCII and the other engine's ASCII are different numbers
    assert [m.group() for m in Regex(r"(?<=\s)\w+", re.A).finditer(" fenêtre é x")] == ["fen", "x"]
    assert [m.span() for m in Regex(r"(?<=x)É", re.I).finditer("xé xÉ")] == [(1, 2), (4, 5)]


PIECES = st.sampled_from(["a", "b", "é", "K", "ſ", " ", "\n", r"\w", r"\d", r"\s", r"\S", ".", "[ab]",
                          "[^a\\n]", "^", "$", r"\A", r"\Z", r"\b"])


def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, inner).map("".join), st.tuples(inner, inner).map("|".join),
        inner.map("({})".format), inner.map("(?:{})".format),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{0,2}?"]))
        .map(lambda t: f"(?:{t[0]}){t[1]}"),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.recursive(PIECES, grow, max_leaves=8),
       flags=st.sets(st.sampled_from([re.I, re.M, re.S, re.A])).map(sum),
       text=st.text(alphabet="ab éKkſs\nΣσς1_-", max_size=20))
def test_re2_and_re_find_the_same_matches_and_groups(source, flags, text):
    regex = Regex(source, flags)
    if regex.engine == "re2":
        assert spans(regex, text, "re2") == spans(regex, text, "re")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_reports_the_runaway_document_and_cleans_the_rest(tmp_path, jobs):
    from click.testing import CliRunner

    from cleaner.cli import main

    write_pack(tmp_path, SLOW_RULE)
    (tmp_path / "cleaner.toml").write_text('rules = ["slow.yaml"]\nrule-time-limit = 0.3\n')
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-fine.txt").write_text("Un texte sans histoire.\n")
    (inputs / "b-runaway.txt").write_text("a" * 40 + "b\n")
    (inputs / "c-fine.txt").write_text("Encore un texte.\n")
    result = CliRunner().invoke(main, ["clean", str(inputs), "-o", str(tmp_path / "out"), "-j", jobs,
                                       "--config", str(tmp_path / "cleaner.toml")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(f"error: {inputs / 'b-runaway.txt'}: rule 'runaway' ")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["a-fine.txt", "c-fine.txt"]


BY_FALLBACK = {rule_id: rule for rule_id, rule in BY_AUTO.items() if rule.engine == "re"}


@pytest.mark.skipif(not REALNEWS.is_dir(), reason="needs ../shared/realnews beside the repository")
def test_rules_on_the_backtracking_engine_match_what_re_matches_on_real_dumps():
    texts = [path.read_text(encoding="utf-8") for path in sorted(REALNEWS.glob("*.txt"))]
    found = 0
    for rule in BY_FALLBACK.values():
        for regex in (rule.pattern, rule.end):
            if regex is not None:
                for text in texts + [example.input for example in rule.examples]:
                    want = spans(regex, text, "re")
                    assert spans(regex, text, "bounded") == want, rule.id
                    found += len(want)
    assert len(BY_FALLBACK) >= 10 and found > 50


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(source=st.recursive(PIECES | st.sampled_from([r"(?=a)", r"(?!b)", r"(?<=a)", r"(?<!\w)", r"(a)\1"]),
                           grow, max_leaves=6),
       flags=st.sets(st.sampled_from([re.I, re.M, re.S, re.A])).map(sum),
       text=st.text(alphabet="ab éKkſs\nΣσς1_-", max_size=20))
def test_backtracking_engine_finds_what_re_finds(source, flags, text):
    try:
        regex = Regex(source, flags, engine="re")
    except re.error:
        return
    assert spans(regex, text, "bounded") == spans(regex, text, "re")
