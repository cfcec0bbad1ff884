"""``cleaner report OUTDIR``: one self-contained page, opened in headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import load_config
from cleaner.batch import source
from cleaner.batch.htmlreport import bar_chart
from cleaner.batch.readers import read_items
from cleaner.batch.run import Batch
from cleaner.batch.writers import Options
from cleaner.cli import main
from conftest import FIXTURES

TEXTS = sorted(FIXTURES.glob("site-*/input.txt"))[:4]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    return found


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    """A run over four fixture texts and one file that cannot be decoded."""
    root = tmp_path_factory.mktemp("report")
    (root / "in").mkdir()
    for path in TEXTS:
        (root / "in" / f"{path.parent.name}.txt").write_bytes(path.read_bytes())
    (root / "in" / "broken.txt").write_bytes(b"\xff\xfe\x00\xd8")  # UTF-16 cut in a surrogate
    out = root / "out"
    summary = Batch(load_config(start=Path("/")), Options(out)).run(read_items(source.discover([root / "in"])))
    assert (summary.cleaned, summary.failed) == (len(TEXTS), 1)
    result = CliRunner().invoke(main, ["report", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_report_renders_in_chromium_without_script_errors_and_shows_the_counts(outdir, tmp_path):
    page = outdir / "report.html"
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", html)  # nothing to fetch: no network
    shot = tmp_path / "report.png"
    run = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                          "--v=0", "--window-size=1200,1600", f"--screenshot={shot}", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=120)
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console  # no script error (nor any message)
    dom = run.stdout
    assert 'data-ready="yes"' in dom  # the page's script ran to its end
    assert f'<span id="cleaned">{len(TEXTS)}</span> cleaned' in dom and '<span id="failed">1</span> failed' in dom
    assert "broken.txt: not valid utf-16 text" in dom
    assert dom.count("<svg") == 2 and "<del>" in dom  # the two charts, and snippets
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_the_report_tells_rules_languages_and_removals_and_is_the_same_twice(outdir, tmp_path):
    html = (outdir / "report.html").read_text(encoding="utf-8")
    records = [line for line in (outdir / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert '"removed_chars":' in records[1] and '"removed_chars":' not in records[0]  # broken.txt first
    assert "<tr><td>en</td><td class=num>3</td></tr><tr><td>de</td><td class=num>1</td></tr>" in html
    rows = re.findall(r"<tr><td><code>([^<]+)</code></td><td class=num>(\d+)</td>", html)
    hits = [int(n) for _, n in rows]
    assert rows and hits == sorted(hits, reverse=True)
    assert re.search(r'<span class="src">[^<]*site-[^<]*\.txt</span>', html)
    assert "Documents with the most removed" in html and "characters removed" in html
    again = tmp_path / "again.html"
    assert CliRunner().invoke(main, ["report", str(outdir), "-o", str(again)]).exit_code == 0
    assert again.read_text(encoding="utf-8") == html


def test_a_folder_without_a_manifest_is_one_error_line(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().startswith(f"error: {tmp_path}/manifest.jsonl: no manifest to report on")
    assert len(result.output.strip().splitlines()) == 1


def test_a_bar_chart_is_inline_svg_with_a_bar_per_row():
    svg = bar_chart([("fr", 4), ("de", 2)], "documents by language")
    assert svg.startswith("<svg") and svg.count("<rect") == 2 and ">fr<" in svg and ">4<" in svg


def test_clean_report_and_parquet_need_an_output_folder(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Un texte.\n", encoding="utf-8")
    for options, message in ((["--report"], "--report needs -o OUTDIR"),
                             (["--format", "parquet"], "--format parquet needs -o OUTDIR")):
        result = CliRunner().invoke(main, ["clean", str(text), *options])
        assert result.exit_code == 2 and message in result.output
