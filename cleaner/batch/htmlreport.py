"""``OUTDIR/report.html``: what a run did, in one self-contained page (no network: styles,
charts as inline SVG and a few lines of script for sorting tables are in the page).

It reads ``OUTDIR/manifest.jsonl`` (once, line by line) and the snippets the batch kept in
``OUTDIR/.cleaner/samples.json``: documents cleaned and failed, languages, rules by hits with
their first before/after snippets, the documents the most was removed from, and the errors.
The same folder gives the same bytes.
"""
from __future__ import annotations

import heapq
import json
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from cleaner.batch import samples as snippets
from cleaner.batch.atomic import atomic_write
from cleaner.errors import InputError

TOP_RULES = 40
TOP_REMOVED = 15
MAX_ERRORS = 200
BAR_CHART_ROWS = 20


@dataclass
class Tally:
    """The counts of a manifest."""

    cleaned: int = 0
    failed: int = 0
    languages: Counter = field(default_factory=Counter)
    hits: Counter = field(default_factory=Counter)  # rule -> edits
    documents: Counter = field(default_factory=Counter)  # rule -> documents it edited
    removed: list[tuple[int, str, str]] = field(default_factory=list)  # (chars, source, output), top
    errors: list[str] = field(default_factory=list)

    def add(self, record: dict[str, Any], number: int) -> None:
        if record.get("error"):
            self.failed += 1
            if len(self.errors) < MAX_ERRORS:
                self.errors.append(str(record["error"]))
            return
        self.cleaned += 1
        self.languages[(record.get("metadata") or {}).get("language", "und")] += 1
        rules = record.get("rules") or {}
        self.hits.update(rules)
        self.documents.update(rules.keys())
        entry = (int(record.get("removed_chars") or 0), -number, str(record.get("source")),
                 str(record.get("output") or ""))
        if len(self.removed) < TOP_REMOVED:
            heapq.heappush(self.removed, entry)
        else:
            heapq.heappushpop(self.removed, entry)


def tally(outdir: Path) -> Tally:
    """The counts of ``outdir``'s manifest; :class:`InputError` if there is none or a line is bad."""
    path = outdir / "manifest.jsonl"
    counts = Tally()
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    counts.add(json.loads(line), number)
                except (ValueError, AttributeError, TypeError):
                    raise InputError(f"line {number} is not a manifest record", str(path)) from None
    except OSError as exc:
        raise InputError(f"no manifest to report on ({exc.strerror or exc}): "
                         "give the folder of a 'cleaner clean -o' run", str(path)) from None
    return counts


def write_report(outdir: Path, target: Path | None = None) -> Path:
    """Write the report of ``outdir`` (to ``outdir/report.html`` unless ``target``); its path."""
    from cleaner.batch.run import SAMPLES, STATE_DIR

    target = target or outdir / "report.html"
    page = render(tally(outdir), snippets.load(outdir / STATE_DIR / SAMPLES), outdir.name or str(outdir))
    atomic_write(target, page.encode("utf-8"))
    return target


def bar_chart(rows: list[tuple[str, int]], label: str) -> str:
    """A horizontal bar chart as inline SVG, one bar per ``(name, count)``."""
    if not rows:
        return ""
    top, height, width = max(n for _, n in rows) or 1, 22, 640
    bars = []
    for i, (name, count) in enumerate(rows):
        y, length = i * height, max(1, round(count / top * 380))
        bars.append(f'<text x="210" y="{y + 15}" text-anchor="end">{escape(name[:32])}</text>'
                    f'<rect x="220" y="{y + 4}" width="{length}" height="{height - 8}"></rect>'
                    f'<text x="{226 + length}" y="{y + 15}">{count}</text>')
    return (f'<svg class="chart" role="img" aria-label="{escape(label)}" width="{width}" '
            f'height="{len(rows) * height}" viewBox="0 0 {width} {len(rows) * height}">{"".join(bars)}</svg>')


def _table(head: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    cells = "".join(f'<th{" class=num" if i in numeric else ""}>{h}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>'
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table class="sortable"><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'


def _changed(text: str) -> str:
    """What an edit removed or put in, its line breaks shown (a join replaces one by a space)."""
    return escape(text).replace("\n", "↵\n")


def _snippet(sample: dict[str, str]) -> str:
    left, right = escape(sample.get("left", "")), escape(sample.get("right", ""))
    return (f'<div class="snippet"><span class="src">{escape(sample.get("source", ""))}</span>'
            f'<div>{left}<del>{_changed(sample.get("before", ""))}</del><ins>{_changed(sample.get("after", ""))}</ins>'
            f'{right}</div></div>')


def render(counts: Tally, samples: dict[str, list[dict[str, str]]], title: str) -> str:
    """The page."""
    languages = sorted(counts.languages.items(), key=lambda kv: (-kv[1], kv[0]))
    rules = sorted(counts.hits.items(), key=lambda kv: (-kv[1], kv[0]))
    removed = sorted(counts.removed, reverse=True)
    rule_rows = [[f"<code>{escape(rule)}</code>", str(hits), str(counts.documents[rule]),
                  "".join(_snippet(s) for s in samples.get(rule, [])) or "—"] for rule, hits in rules[:TOP_RULES]]
    removed_rows = [[escape(source), escape(output), str(chars)] for chars, _, source, output in removed if chars]
    errors = "".join(f"<li>{escape(e)}</li>" for e in counts.errors) or "<li>none</li>"
    more = counts.failed - len(counts.errors)
    sections = [
        f'<section id="counts"><h2>Documents</h2><p class="big"><span id="cleaned">{counts.cleaned}</span> cleaned, '
        f'<span id="failed">{counts.failed}</span> failed</p></section>',
        f'<section id="languages"><h2>Languages</h2>{bar_chart(languages[:BAR_CHART_ROWS], "documents by language")}'
        f'{_table(["language", "documents"], [[escape(k), str(n)] for k, n in languages], {1})}</section>',
        f'<section id="rules"><h2>Rules by hits</h2>{bar_chart(rules[:BAR_CHART_ROWS], "edits by rule")}'
        f'<p>{len(rules)} rules and repairs edited something; the first {min(len(rules), TOP_RULES)} with their '
        f'first snippets (<del>removed</del> <ins>put in</ins>).</p>'
        f'{_table(["rule", "edits", "documents", "before / after"], rule_rows, {1, 2})}</section>',
        f'<section id="removed"><h2>Documents with the most removed</h2>'
        f'{_table(["source", "output", "characters removed"], removed_rows, {2})}</section>',
        f'<section id="errors"><h2>Errors ({counts.failed})</h2><ul>{errors}</ul>'
        f'{f"<p>and {more} more (see manifest.jsonl)</p>" if more > 0 else ""}</section>',
    ]
    return PAGE.format(title=escape(title), body="\n".join(sections))


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>cleaner report: {title}</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 1px solid #ccc; margin-top: 2em; }}
.big {{ font-size: 1.4em; }} table {{ border-collapse: collapse; width: 100%; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #eee; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ cursor: pointer; background: #f6f6f6; }} .num {{ text-align: right; }}
.chart rect {{ fill: #4a7bb7; }} .chart text {{ font-size: 12px; fill: #333; }}
.snippet {{ font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; margin-bottom: .6em; }}
.snippet .src {{ color: #777; }} del {{ background: #fdd; }} ins {{ background: #dfd; text-decoration: none; }}
</style></head>
<body><h1>cleaner report: {title}</h1>
{body}
<script>
document.querySelectorAll("table.sortable th").forEach(function (th, column) {{
  th.addEventListener("click", function () {{
    var body = th.closest("table").tBodies[0], up = th.dataset.up !== "1";
    var cell = function (row) {{ return row.children[th.cellIndex].textContent; }};
    var rows = Array.prototype.slice.call(body.rows).sort(function (a, b) {{
      var x = cell(a), y = cell(b), n = th.classList.contains("num");
      var d = n ? Number(x) - Number(y) : x.localeCompare(y);
      return up ? d : -d;
    }});
    th.dataset.up = up ? "1" : "0";
    rows.forEach(function (row) {{ body.appendChild(row); }});
  }});
}});
document.documentElement.dataset.ready = "yes";
</script>
</body></html>
"""
