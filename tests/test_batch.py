"""The batch engine: any number of workers gives the same bytes, inputs stream in, results are
resumable, JSONL in and out, paths and faults. The kill test uses a real process and SIGKILL."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner import Cleaner, load_config
from cleaner.batch import pool as pools
from cleaner.batch import run as batch
from cleaner.batch import source
from cleaner.batch import workers
from cleaner.batch.readers import read_items
from cleaner.batch.report import Events
from cleaner.cli import main
from cleaner.document import complete_metadata
from conftest import FIXTURES, SHARED

CLEANER = str(Path(sys.executable).with_name("cleaner"))
DUMPS = SHARED / "realnews" / "scraped-dev" / "dumps"
SEED = FIXTURES / "seed-000" / "input.txt"
CORPUS_FILES = 36  # per copy: enough to kill a run midway, few enough to keep the tests fast
RECORDS = 12 * workers.CHUNK_ITEMS  # a Ctrl-C test's input: more chunks than -j 2 keeps in flight


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder but the journal, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cleaner" not in p.relative_to(folder).parts}


def manifest(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]


def corpus(folder: Path, copies: int = 1) -> Path:
    """Real article dumps (from ../shared, read only) and the golden inputs, in a few folders."""
    files = sorted(DUMPS.glob("*.txt")) if DUMPS.is_dir() else []
    files = (files + sorted(FIXTURES.glob("*/input.txt")))[:CORPUS_FILES]
    for copy in range(copies):
        for index, path in enumerate(files):
            target = folder / f"part{copy}" / f"{index % 3}" / f"{path.parent.name}-{path.stem}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return folder


# --- parallel and streaming ----------------------------------------------------------------

def test_outputs_identical_for_one_and_two_workers(tmp_path):
    src = corpus(tmp_path / "in")
    run("clean", str(src), "-o", str(tmp_path / "j1"), "-j", "1", "-q")
    result = run("clean", str(src), "-o", str(tmp_path / "j2"), "-j", "2", "-q")
    assert result.exit_code == 0, result.stderr
    one, two = outputs(tmp_path / "j1"), outputs(tmp_path / "j2")
    assert one == two and len(one) == len(list(src.rglob("*.txt"))) + 1
    # the workers wrote the texts to temporary files; every one was renamed into place
    assert not list((tmp_path / "j2" / ".cleaner").glob("tmp/**/*"))


def test_discovery_is_lazy(tmp_path, monkeypatch):
    """The first input comes out after listing only the folders on its way, not the whole tree."""
    for folder in range(50):
        (tmp_path / f"d{folder:02d}").mkdir()
        (tmp_path / f"d{folder:02d}" / "a.txt").write_text("x")
    listed = []
    real_scandir = os.scandir
    monkeypatch.setattr(source.os, "scandir", lambda path: listed.append(path) or real_scandir(path))
    first = next(source.discover([tmp_path]))
    assert first.source == tmp_path / "d00" / "a.txt" and len(listed) == 2


def test_items_in_flight_are_bounded():
    """Results come out while inputs are still being read: at most a few chunks are in flight."""
    consumed = 0

    def items():
        nonlocal consumed
        for index in range(10_000):
            consumed += 1
            yield source.Item(f"s{index}", f"s{index}", data="Un texte.\n")

    config = load_config(start=Path("/"))
    results = workers.clean_in_order(items(), config, "k", pools.InlineExecutor(), slots=1)
    next(results)
    limit = workers.IN_FLIGHT_PER_WORKER + 1
    assert consumed <= limit * workers.CHUNK_ITEMS + 1


def test_an_item_in_this_process_lets_its_bytes_go_once_read_and_one_sent_elsewhere_keeps_them():
    """-j 1: a big file's bytes are not held while its text is cleaned. Another executor (Dask)
    may run a task twice on the same items: there they stay."""
    from concurrent.futures import ThreadPoolExecutor

    config = load_config(start=Path("/"))
    for pool, kept in ((pools.InlineExecutor(), False), (ThreadPoolExecutor(1), True)):
        items = [source.Item(f"s{i}", f"s{i}", data=b"Un texte (nouvelle fen\xc3\xaatre) .\n") for i in range(3)]
        results = list(workers.clean_in_order(items, config, "k", pool, slots=1))
        assert [cleaned.text for _, cleaned in results] == ["Un texte.\n"] * 3
        assert [item.data is not None for item in items] == [kept] * 3


@pytest.mark.parametrize("piece", [1, 2, 3, 1 << 16])
def test_a_text_is_written_in_utf8_a_piece_at_a_time(tmp_path, monkeypatch, piece):
    from cleaner.batch import atomic

    monkeypatch.setattr(atomic, "TEXT_PIECE", piece)
    text = "Déjà vu \U0001f327 à Łódź, 東京.\n" * 3
    atomic.atomic_write(tmp_path / "out.txt", text)
    assert (tmp_path / "out.txt").read_bytes() == text.encode("utf-8")


_clean_chunk = workers.clean_chunk  # the real one: forked workers inherit the patched module


def _die_on_poison(key, config, items, *rest):
    """A task that kills its worker process on the item whose text is 'poison'."""
    if any(item.data == "poison" for item in items):
        os._exit(1)
    return _clean_chunk(key, config, items, *rest)


def test_a_dying_worker_costs_only_its_own_document(monkeypatch):
    monkeypatch.setattr(workers, "clean_chunk", _die_on_poison)
    config = load_config(start=Path("/"))
    texts = ["Un texte.\n"] * 20 + ["poison"] + ["Un autre texte.\n"] * 20
    items = [source.Item(f"s{i}", f"s{i}", data=t) for i, t in enumerate(texts)]
    with pools.executor(2) as (pool, slots):
        results = list(workers.clean_in_order(items, config, "k", pool, slots))
    assert [item.source for item, _ in results] == [item.source for item in items]
    errors = [(item.source, cleaned.error) for item, cleaned in results if cleaned.error]
    assert errors == [("s20", "s20: the worker process cleaning it died")]


def test_one_worker_cleans_with_the_cleaner_built_to_check_the_config(tmp_path, monkeypatch):
    built = []
    build = Cleaner.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        build(self, *args, **kwargs)

    monkeypatch.setattr(Cleaner, "__init__", counted)
    src = corpus(tmp_path / "in")
    assert run("clean", str(src), "-o", str(tmp_path / "out"), "-j", "1", "-q").exit_code == 0
    assert len(built) == 1


def _has_cleaner(key):
    return key in workers._cleaners


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_start_with_the_cleaner_already_built():
    config = load_config(start=Path("/"))
    workers.cleaner_for(config)
    assert threading.active_count() == 1, "a test left a thread running: workers would be spawned"
    with pools.executor(2) as (pool, _):
        assert pool.start_method == "fork"
        assert pool.submit(_has_cleaner, config.fingerprint()).result()


def test_with_other_threads_running_workers_are_spawned_and_build_their_own():
    config = load_config(start=Path("/"))
    workers.cleaner_for(config)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with pools.executor(2) as (pool, _):
            assert pool.start_method == "spawn"
            assert not pool.submit(_has_cleaner, config.fingerprint()).result()
            item = source.Item("a", "a", data="Un texte (nouvelle fenêtre) .\n")
            [cleaned] = pool.submit(workers.clean_chunk, config.fingerprint(), config, [item]).result()
    finally:
        stop.set()
        thread.join()
    assert cleaned.text == "Un texte.\n"


# --- progress and summary ------------------------------------------------------------------

def test_summary_quiet_and_verbose(tmp_path):
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    result = run("clean", str(src), "-o", str(out), "-j", "1")
    lines = result.stderr.splitlines()
    count = len(list(src.rglob("*.txt")))
    assert lines[0].startswith(f"cleaned {count} file(s), 0 failed, 0 up to date, 0 given twice;")
    assert lines[0].endswith("files/s")
    assert lines[1].startswith("languages: fr ") and lines[2].startswith("top rules: ")
    assert run("clean", str(src), "-o", str(out), "-q").stderr == ""
    verbose = run("clean", str(src), "-o", str(out), "-v", "--force", "-j", "1").stderr
    assert sum(" -> " in line for line in verbose.splitlines()) == count


# --- resume --------------------------------------------------------------------------------

def test_rerun_skips_what_is_up_to_date(tmp_path):
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    count = len(list(src.rglob("*.txt")))
    run("clean", str(src), "-o", str(out), "-j", "1")
    first = outputs(out)
    again = run("clean", str(src), "-o", str(out), "-j", "1")
    assert again.stderr.startswith(f"cleaned 0 file(s), 0 failed, {count} up to date")
    assert outputs(out) == first
    changed = sorted(src.rglob("*.txt"))[3]
    changed.write_bytes(SEED.read_bytes())
    once = run("clean", str(src), "-o", str(out), "-j", "1")
    assert once.stderr.startswith(f"cleaned 1 file(s), 0 failed, {count - 1} up to date")
    rel = changed.relative_to(src).as_posix()
    assert outputs(out)[rel] == (FIXTURES / "seed-000" / "expected.txt").read_bytes()
    forced = run("clean", str(src), "-o", str(out), "-j", "1", "--force")
    assert forced.stderr.startswith(f"cleaned {count} file(s), 0 failed, 0 up to date")
    pack = tmp_path / "extra.yaml"
    pack.write_text("pack: extra\ndescription: d\nrules:\n  - id: drop-zzz\n    description: d\n"
                    "    delete: zzzq\n    examples: [{in: a zzzq b, out: a b}]\n")
    new_config = run("clean", str(src), "-o", str(out), "-j", "1", "--rules", str(pack))
    assert new_config.stderr.startswith(f"cleaned {count} file(s)")
    deleted = sorted(src.rglob("*.txt"))[0]
    deleted.unlink()
    run("clean", str(src), "-o", str(out), "-j", "1", "--rules", str(pack))
    assert len(manifest(out)) == count - 1


def test_rerun_after_a_unicode_data_upgrade_cleans_again(tmp_path, monkeypatch):
    """Resume must not keep outputs made with other Unicode data (or library versions)."""
    import unicodedata

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    run("clean", str(src), "-o", str(out), "-j", "1")
    assert run("clean", str(src), "-o", str(out), "-j", "1").stderr.startswith("cleaned 0 file(s)")
    monkeypatch.setattr(unicodedata, "unidata_version", "0.0.1")
    assert run("clean", str(src), "-o", str(out), "-j", "1").stderr.startswith("cleaned 1 file(s)")


def test_rerun_after_a_change_to_the_package_code_cleans_again(tmp_path):
    """A copy of the package, run, edited (a comment), run again: the output is not kept."""
    package = tmp_path / "pkg"
    shutil.copytree(Path(batch.__file__).parents[1], package / "cleaner",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (package / "rules").symlink_to(FIXTURES.parent / "rules")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(SEED.read_bytes())
    command = [sys.executable, "-c", "from cleaner.cli import main; main()", "clean", str(src),
               "-o", str(tmp_path / "out"), "-j", "1"]
    env = {**os.environ, "PYTHONPATH": str(package)}
    first = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert first.stderr.startswith("cleaned 1 file(s)"), first.stderr
    with open(package / "cleaner" / "text" / "normalise.py", "a") as module:
        module.write("\n# a change to the code\n")
    again = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert again.stderr.startswith("cleaned 1 file(s), 0 failed, 0 up to date"), again.stderr


@pytest.mark.parametrize("mode", [[], ["--format", "jsonl", "--shard-size", "1"]], ids=["text", "jsonl-shards"])
def test_a_run_over_other_inputs_never_drops_the_earlier_output(tmp_path, monkeypatch, mode):
    monkeypatch.chdir(tmp_path)
    for name in ("A/a.txt", "A/b.txt", "B/c.txt"):
        Path(name).parent.mkdir(exist_ok=True)
        Path(name).write_bytes(SEED.read_bytes())
    out = Path("out")
    assert run("clean", "A", "-o", "out", "-j", "1", *mode).exit_code == 0
    before = outputs(out)
    other = run("clean", "B", "-o", "out", "-j", "1", *mode)
    assert other.exit_code == 1 and outputs(out) == before
    assert other.stderr.splitlines() == [
        f"error: out: holds the output of an earlier run over {tmp_path / 'A'} (2 input(s)), not given to this "
        "run, which would drop it; add --force to replace it, or write to another folder"]
    assert run("clean", "A/a.txt", "-o", "out", "-j", "1", *mode).exit_code == 1 and outputs(out) == before
    both = run("clean", "A", "B", "-o", "out", "-j", "1", *mode)  # more inputs: nothing is dropped
    assert both.exit_code == 0 and [r["source"] for r in manifest(out)] == ["A/a.txt", "A/b.txt", "B/c.txt"]
    assert run("clean", "B", "-o", "out", "-j", "1", "--force", *mode).exit_code == 0
    assert [r["source"] for r in manifest(out)] == ["B/c.txt"]


def _session(leader: int) -> list[int]:
    """The processes still alive in the session that ``leader`` started."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()  # state, ppid, pgrp, session, ...
            if int(fields[3]) == leader and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


@pytest.mark.parametrize("mode, whom", [([], "group"),
                                        (["--format", "jsonl", "--shard-size", "7", "--gzip"], "group"),
                                        ([], "batch process")],
                         ids=["text", "jsonl-shards", "text-batch-process-only"])
def test_killed_run_resumes_to_the_same_bytes(tmp_path, mode, whom):
    """SIGKILL a real run in the middle, check it left only whole files, re-run, compare. When
    only the batch process is killed, its workers must die with it and free the folder's lock."""
    src = corpus(tmp_path / "in", copies=4)
    reference = tmp_path / "reference"
    assert run("clean", str(src), "-o", str(reference), "-j", "1", "-q", *mode).exit_code == 0
    want = outputs(reference)
    out = tmp_path / "out"
    process = subprocess.Popen([CLEANER, "clean", str(src), "-o", str(out), "-j", "2", "-q", *mode],
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(outputs(out) if out.is_dir() else {}) < len(want) // 3 and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    if whom == "group":
        os.killpg(process.pid, signal.SIGKILL)
    else:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while _session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _session(process.pid), "worker processes outlived the batch process"
    left = outputs(out)
    assert len(want) // 3 <= len(left) < len(want) and "manifest.jsonl" not in left
    assert all(want[name] == data for name, data in left.items()), "a half-written output"
    assert not [p for p in out.rglob("*.tmp") if ".cleaner" not in p.parts]
    result = subprocess.run([CLEANER, "clean", str(src), "-o", str(out), "-j", "2", *mode],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert " 0 up to date" not in result.stderr.splitlines()[0]
    assert outputs(out) == want


def test_ctrl_c_stops_cleanly_and_the_rerun_finishes(tmp_path):
    """Ctrl-C in the middle of a -j 2 run, at a moment that does not depend on the machine's
    speed: the input is a JSONL pipe that the test keeps open after writing RECORDS records,
    so the run cannot end before the signal, and it has written at least the first chunks
    (only IN_FLIGHT_PER_WORKER chunks per worker may be in flight) when it waits for more."""
    records = "".join(json.dumps({"id": f"late/{i:03d}", "text": f"Le conseil s'est réuni mardi, séance {i}, "
                                  "pour voter le budget des écoles du district.\n"}) + "\n"
                      for i in range(RECORDS))
    late = tmp_path / "late.jsonl"
    late.write_text(records, encoding="utf-8")
    reference = tmp_path / "reference"
    assert run("clean", str(late), "-o", str(reference), "-j", "1", "-q").exit_code == 0
    late.unlink()
    os.mkfifo(late)
    out = tmp_path / "out"
    process = subprocess.Popen([CLEANER, "clean", str(late), "-o", str(out), "-j", "2"],
                               start_new_session=True, stderr=subprocess.PIPE, text=True)
    writer = None
    try:
        deadline = time.monotonic() + 120
        while writer is None:  # the run opens the pipe to read it
            assert process.poll() is None and time.monotonic() < deadline, "the run did not open its input"
            try:
                writer = os.open(late, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:
                time.sleep(0.05)
        os.set_blocking(writer, True)
        os.write(writer, records.encode("utf-8"))
        settled = (RECORDS // workers.CHUNK_ITEMS - 2 * workers.IN_FLIGHT_PER_WORKER) * workers.CHUNK_ITEMS
        while len(outputs(out) if out.is_dir() else {}) < settled:
            assert process.poll() is None and time.monotonic() < deadline, "the run ended or stalled"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)  # what a terminal sends to the whole group
        _, stderr = process.communicate(timeout=60)
    finally:
        if writer is not None:
            os.close(writer)
        process.kill()
        process.wait()
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted: what was finished is kept")
    assert "Traceback" not in stderr and not (out / "manifest.jsonl").exists()
    assert not [p for p in out.rglob("*.tmp") if ".cleaner" not in p.parts]
    late.unlink()
    late.write_text(records, encoding="utf-8")  # the same command again, its input now all there
    again = run("clean", str(late), "-o", str(out), "-j", "1")
    assert again.exit_code == 0, again.stderr
    assert int(again.stderr.split(" up to date")[0].rsplit(" ", 1)[1]) >= settled  # kept, not redone
    assert outputs(out) == outputs(reference)


# When the signal lands: after the k-th input of the run is settled (so a run cannot end before
# it, whatever the speed of the machine; the last one is just before the run commits), or at once.
STOP_POINTS = [(1, signal.SIGINT, "process"), (2, signal.SIGTERM, "group"), (5, signal.SIGINT, "group"),
               (9, signal.SIGTERM, "process"), (14, signal.SIGINT, "process"), (20, signal.SIGTERM, "group"),
               (27, signal.SIGINT, "group"), (33, signal.SIGTERM, "process"), (CORPUS_FILES, signal.SIGINT, "process"),
               (CORPUS_FILES, signal.SIGTERM, "group"), (0, signal.SIGINT, "group"), (0, signal.SIGTERM, "process")]


class _Gate:
    """Set before a run is forked: after its ``at``-th input is settled, the run's progress
    callback (:func:`_gated_tick`) tells the test (``pipe``) and waits for the word to go on,
    given once the signal is sent."""

    at = 0
    pipe: Any = None
    ticks = 0


def _gated_tick(events: object) -> None:
    _Gate.ticks += 1
    if _Gate.ticks == _Gate.at:
        _Gate.pipe.send(_Gate.ticks)
        _Gate.pipe.recv()


def _command_in_a_child(args: list[str], log: Path) -> None:
    """The command in a session of its own (its process group is a terminal's job), forked from
    this process so that it starts with the cleaner built; stderr to ``log``."""
    os.setsid()
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(handle, 2)
    sys.stderr = open(2, "w", closefd=False)
    try:
        _Gate.pipe.send(0)
        main.main(args, prog_name="cleaner")
    except KeyboardInterrupt:  # a SIGINT sent at once, before the command's handler was set: as
        print("Aborted!", file=sys.stderr)  # click says when it comes as it reads the arguments
        sys.exit(1)


def test_any_stop_signal_at_any_moment_ends_the_run_quickly_with_whole_files(tmp_path, monkeypatch):
    """SIGINT or SIGTERM, to the batch process alone (a supervisor, timeout -s INT) or to its
    group (Ctrl-C), at many moments of a -j 2 run, fresh or resuming the one stopped before, in
    text and shard output: each run ends within seconds, without a traceback, leaving only whole
    files; the last run ends byte-identical to an uninterrupted one."""
    import multiprocessing

    from cleaner.batch import report

    src = corpus(tmp_path / "in")
    built = workers.cleaner_for(load_config())
    built.clean(SEED.read_bytes())  # language profiles loaded: the forked runs start warm
    monkeypatch.setattr(workers, "cleaner_for", lambda _config: built)  # built once, not once a run
    modes = {"text": [], "shards": ["--format", "jsonl", "--shard-size", "5"]}
    want = {}
    for name, mode in modes.items():
        assert run("clean", str(src), "-o", str(tmp_path / f"ref-{name}"), "-j", "1", "-q", *mode).exit_code == 0
        want[name] = outputs(tmp_path / f"ref-{name}")
    monkeypatch.setattr(report.TerminalEvents, "tick", _gated_tick)
    context = multiprocessing.get_context("fork")
    finished = {name: False for name in modes}
    for number, (at, signum, whom) in enumerate(STOP_POINTS + [(None, None, None)] * 2):
        name = list(modes)[number % 2]
        out, log = tmp_path / f"out-{name}", tmp_path / "stderr.log"
        args = ["clean", str(src), "-o", str(out), "-j", "2", "-q", *modes[name]]
        if finished[name] and at is not None:
            args.append("--force")  # start over: a fresh run to stop
        _Gate.pipe, test_end = context.Pipe()
        _Gate.at = at or -1
        process = context.Process(target=_command_in_a_child, args=(args, log))
        process.start()
        try:
            assert test_end.poll(30) and test_end.recv() == 0  # started
            if at is not None:
                if at:
                    assert test_end.poll(60) and test_end.recv() == at, log.read_text()
                os.killpg(process.pid, signum) if whom == "group" else os.kill(process.pid, signum)
                test_end.send(True)
            process.join(60 if at is None else 10)
            assert process.exitcode is not None, f"still running 10 s after {signal.Signals(signum).name} to the {whom}"
        finally:
            if process.exitcode is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.join()
        stderr = log.read_text()
        assert "Traceback" not in stderr, stderr
        if at == 0 and process.exitcode != 128 + signum:  # it came before the command began, as click read its arguments
            assert (process.exitcode, stderr.strip()) in ((1, "Aborted!"), (-signal.SIGTERM, "")), stderr
        elif at is not None:
            assert process.exitcode == 128 + signum, (process.exitcode, stderr)
            assert stderr.splitlines()[-1].startswith("interrupted: what was finished is kept"), stderr
        else:
            assert process.exitcode == 0, stderr
        finished[name] = process.exitcode == 0
        left = outputs(out) if out.is_dir() else {}
        assert all(want[name].get(file) == data for file, data in left.items()), "a half-written output"
        assert not [p for p in out.rglob("*.tmp") if ".cleaner" not in p.relative_to(out).parts]
        assert not _session(process.pid), "worker processes outlived the batch process"
    for name in modes:
        assert outputs(tmp_path / f"out-{name}") == want[name]


def test_the_umask_is_never_changed_and_new_files_follow_it(tmp_path, monkeypatch):
    """Changing the umask, even for a moment, races with every thread creating files."""
    import importlib

    from cleaner.batch import atomic

    calls = []
    real = os.umask
    monkeypatch.setattr(os, "umask", lambda mask: calls.append(mask) or real(mask))
    importlib.reload(atomic)
    run("clean", str(SEED), "-o", str(tmp_path / "out"), "-q")
    assert calls == []
    previous = real(0o027)  # set after import: new files follow the umask of the moment
    try:
        atomic.atomic_write(tmp_path / "new.txt", b"x")
        done = run("clean", str(SEED), "-o", str(tmp_path / "out2"), "-q")
    finally:
        real(previous)
    assert done.exit_code == 0
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "out2" / "input.txt").stat().st_mode & 0o777 == 0o640
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o751)
    atomic.rewrite(script, b"#!/bin/sh\necho\n")  # a file rewritten in place keeps its mode
    assert script.stat().st_mode & 0o777 == 0o751


@pytest.mark.parametrize("cpu_max, affinity, expected", [("max 100000", 8, 8), ("150000 100000", 8, 2),
                                                         ("400000 100000", 3, 3), (None, 4, 4)])
def test_default_jobs_follow_affinity_and_cgroup_quota(tmp_path, monkeypatch, cpu_max, affinity, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(affinity)))
    own = Path("/proc/self/cgroup").read_text().splitlines()
    own = next((line.split(":", 2)[2] for line in own if line.startswith("0::")), "/").strip("/")
    (tmp_path / own).mkdir(parents=True, exist_ok=True)
    if cpu_max:
        (tmp_path / own / "cpu.max").write_text(cpu_max + "\n")
    assert pools.available_cpus(tmp_path) == expected


def test_cgroup_v1_quota_is_read_too(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)))
    (tmp_path / "cpu,cpuacct").mkdir()
    (tmp_path / "cpu,cpuacct" / "cpu.cfs_quota_us").write_text("300000\n")
    (tmp_path / "cpu,cpuacct" / "cpu.cfs_period_us").write_text("100000\n")
    assert pools.available_cpus(tmp_path) == 3


def test_never_more_workers_than_inputs_to_clean(tmp_path, monkeypatch):
    started = []
    real = pools.LocalPool

    class Recorded(real):
        def __init__(self, processes):
            started.append(processes)
            super().__init__(processes)

    monkeypatch.setattr(pools, "LocalPool", Recorded)
    assert run("clean", str(SEED), "-o", str(tmp_path / "one"), "-j", "4", "-q").exit_code == 0
    assert started == []  # one file: cleaned in this process, nothing forked
    src = tmp_path / "three"
    src.mkdir()
    for name in "abc":
        (src / f"{name}.txt").write_bytes(SEED.read_bytes())
    assert run("clean", str(src), "-o", str(tmp_path / "out"), "-j", "8", "-q").exit_code == 0
    assert started == [3]
    assert run("clean", str(src), "-o", str(tmp_path / "out"), "-j", "8", "-q").exit_code == 0
    assert started == [3]  # all up to date: nothing to clean, nothing forked


@pytest.mark.parametrize("mode", [[], ["--format", "jsonl", "--shard-size", "7", "--gzip"],
                                  ["--format", "parquet", "--shard-size", "7"]], ids=["text", "shards", "parquet"])
def test_fsync_puts_each_output_on_the_disk_before_the_journal_records_it(tmp_path, monkeypatch, mode):
    """After a power cut the journal must not say done for an output whose data or name was
    still in the page cache: data fsynced before the rename, its folder after the rename and
    before the next journal commit (which holds its record); without --fsync, no fsync."""
    from cleaner.batch import journal

    src = corpus(tmp_path / "in")
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_commit = os.fsync, os.replace, journal.Journal.commit
    monkeypatch.setattr(os, "fsync", lambda fd: events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
                        or real_fsync(fd))
    monkeypatch.setattr(os, "replace", lambda a, b: real_replace(a, b) or events.append(("rename", str(a), str(b))))

    def commit(self):
        real_commit(self)
        events.append(("committed",))

    monkeypatch.setattr(journal.Journal, "commit", commit)
    assert run("clean", str(src), "-o", str(tmp_path / "plain"), "-j", "1", "-q", *mode).exit_code == 0
    assert not [e for e in events if e[0] == "fsync"]
    events.clear()
    out = tmp_path / "out"
    assert run("clean", str(src), "-o", str(out), "-j", "1", "-q", "--fsync", *mode).exit_code == 0
    renames = [(i, e) for i, e in enumerate(events) if e[0] == "rename" and e[2].startswith(f"{out}/")
               and ".cleaner" not in Path(e[2]).relative_to(out).parts]
    names = [Path(e[2]).relative_to(out).as_posix() for _, e in renames]
    assert sorted(names) == sorted(outputs(out)), renames
    for i, (_, tmp, target) in renames:
        assert ("fsync", tmp) in events[:i], f"{target}: renamed before its data was on the disk"
        folder = ("fsync", str(Path(target).parent))
        assert folder in events[i:], f"{target}: its folder never synced"
        synced = events.index(folder, i)
        committed = [j for j, e in enumerate(events) if e[0] == "committed" and j > i]
        assert not committed or committed[0] > synced, f"{target}: recorded before its folder was synced"
    assert outputs(out) == outputs(tmp_path / "plain")


# --- JSONL in and out ----------------------------------------------------------------------

def _jsonl_input(path: Path) -> Path:
    seed = SEED.read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "fr/seed", "text": seed, "url": "https://example.org/a",
                    "metadata": {"source": "crawl-1"}}),
        json.dumps({"id": 7, "text": "The government said on Tuesday that the plan would go ahead.\n"}),
        "{not json",
        json.dumps({"id": "no-text"}),
        "",
        json.dumps({"text": "Le texte sans identifiant est gardé, avec un identifiant tiré de sa ligne.\n"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_input_to_jsonl_output(tmp_path):
    docs = _jsonl_input(tmp_path / "docs.jsonl")
    result = run("clean", str(docs), "--format", "jsonl", "-j", "1")
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["fr/seed", "7", "docs/6"]
    first = records[0]
    assert first["text"] == (FIXTURES / "seed-000" / "expected.txt").read_text(encoding="utf-8")
    assert first["metadata"] == complete_metadata({"url": "https://example.org/a", "source": "crawl-1",
                                                   "language": "fr",
                                                   "language_score": first["metadata"]["language_score"]})
    assert records[1]["metadata"]["language"] == "en"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: {docs}:3: not a JSON record (")
    assert errors[1] == f"error: {docs}:4: no string field 'text' in the record"
    twice = run("clean", str(docs), str(docs), "--format", "jsonl", "-j", "1", "-v")
    assert twice.stdout == result.stdout and twice.stderr.count("same file as") == 5
    assert twice.stderr.count("error: ") == 2
    other_field = tmp_path / "other.jsonl"
    other_field.write_text(json.dumps({"id": "x", "body": "Un texte.\n"}) + "\n")
    assert json.loads(run("clean", str(other_field), "--format", "jsonl", "--text-field", "body",
                          "-j", "1").stdout)["text"] == "Un texte.\n"


def test_html_in_a_jsonl_field_is_extracted_like_the_page_file(tmp_path):
    page = FIXTURES / "html-en-twitter-embed-share-bar" / "input.html"
    html = page.read_text(encoding="utf-8")
    docs = tmp_path / "pages.jsonl"
    docs.write_text(json.dumps({"id": "p1", "html": html, "url": "https://example.org/p1"}) + "\n")
    result = run("clean", str(docs), "--format", "jsonl", "--text-field", "html", "-j", "1")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    expected = (FIXTURES / "html-en-twitter-embed-share-bar" / "expected.txt").read_text(encoding="utf-8")
    assert record["text"] == expected and "<" not in record["text"]
    assert record["metadata"]["url"] == "https://example.org/p1" and record["metadata"]["language"] == "en"


def test_jsonl_oversized_record_and_truncated_gzip_are_errors_for_their_lines(tmp_path):
    docs = tmp_path / "docs.jsonl.gz"
    lines = [json.dumps({"id": f"d{i}", "text": "x" * 3000 if i == 1 else f"Texte {i}.\n"}) for i in range(200)]
    lines.insert(3, json.dumps({"id": "d0", "text": "Le même identifiant.\n"}))
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    docs.write_bytes(data[: len(data) - 20])
    result = run("clean", str(docs), "--format", "jsonl", "--max-size", "2k", "-j", "1")
    assert result.exit_code == 1
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids[:3] == ["d0", "d2", "d3"] and 150 < len(ids) < 199
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[0] == f"error: {docs}:2: record too large (limit 2048 bytes), not read"
    assert errors[1] == f"error: {docs}:4: same output as {docs}:1 (id 'd0'); not written, rename one of them"
    assert errors[2].startswith(f"error: {docs}:") and "cannot read (" in errors[2] and len(errors) == 3


def test_jsonl_ids_cannot_write_outside_outdir(tmp_path):
    docs = tmp_path / "docs.jsonl"
    hostile = ["../escape", "/etc/evil", "a/../../b", ".cleaner/journal", "fine/name"]
    docs.write_text("".join(json.dumps({"id": i, "text": "Un texte.\n"}) + "\n" for i in hostile))
    out = tmp_path / "deep" / "out"
    result = run("clean", str(docs), "-o", str(out), "-j", "1")
    assert result.exit_code == 1
    assert sorted(outputs(out)) == ["fine/name.txt", "manifest.jsonl"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and ".cleaner" not in p.parts) == [
        "docs.jsonl", "manifest.jsonl", "name.txt"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4 and all("is not a safe file name inside the output folder" in e for e in errors)


def test_sharded_gzip_jsonl_loads_in_hf_datasets(tmp_path):
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    count = len(list(src.rglob("*.txt")))
    result = run("clean", str(src), "-o", str(out), "--format", "jsonl", "--shard-size", "10", "--gzip",
                 "-j", "1")
    assert result.exit_code == 0
    shards = sorted(out.glob("documents-*.jsonl.gz"))
    assert [p.name for p in shards] == [f"documents-{i:05d}.jsonl.gz" for i in range((count + 9) // 10)]
    records = [json.loads(line) for p in shards for line in gzip.decompress(p.read_bytes()).splitlines()]
    assert len(records) == count
    for record in records:
        assert list(record) == ["id", "text", "metadata"] and isinstance(record["text"], str)
        assert isinstance(record["metadata"]["language"], str)
        assert isinstance(record["metadata"]["language_score"], float)
    assert {r["output"] for r in manifest(out)} == {p.name for p in shards}
    datasets = pytest.importorskip("datasets")
    loaded = datasets.load_dataset("json", data_files=[str(p) for p in shards], split="train",
                                   cache_dir=str(tmp_path / "hf-cache"))
    assert loaded.num_rows == count and loaded.column_names == ["id", "text", "metadata"]
    assert loaded[0]["text"] == records[0]["text"] and loaded[5]["id"] == records[5]["id"]


def test_rerun_of_shards_with_a_failure_is_identical_and_still_fails(tmp_path):
    src = corpus(tmp_path / "in")
    (src / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # binary
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--format", "jsonl", "--shard-size", "4", "-j", "1"]
    first = run(*args)
    before = outputs(out)
    again = run(*args)
    assert first.exit_code == again.exit_code == 1 and outputs(out) == before
    assert again.stderr.count("error: ") == 1 and " 0 up to date" not in again.stderr


@pytest.mark.parametrize("gz", [[], ["--gzip"]], ids=["jsonl", "jsonl.gz"])
def test_rerun_of_one_jsonl_stream_copies_what_is_up_to_date(tmp_path, gz):
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--format", "jsonl", "-j", "1", *gz]
    count = len(list(src.rglob("*.txt")))
    assert run(*args).stderr.startswith(f"cleaned {count} file(s)")
    before = outputs(out)
    again = run(*args)
    assert again.stderr.startswith(f"cleaned 0 file(s), 0 failed, {count} up to date")
    assert outputs(out) == before
    files = sorted(src.rglob("*.txt"))
    files[3].write_text("Un texte qui a changé depuis la dernière fois.\n", encoding="utf-8")
    files[7].unlink()
    (src / "0-new.txt").write_text("A new article, which comes first in the order.\n", encoding="utf-8")
    changed = run(*args)
    assert changed.stderr.startswith(f"cleaned 2 file(s), 0 failed, {count - 2} up to date")
    fresh = tmp_path / "fresh"
    run("clean", str(src), "-o", str(fresh), "--format", "jsonl", "-j", "1", *gz)
    assert outputs(out) == outputs(fresh)
    lines = [r["line"] for r in manifest(out)]
    assert lines == list(range(1, count + 1))


def _one_stream(tmp_path: Path) -> tuple[list[str], Path, dict[str, bytes]]:
    """A corpus cleaned once into OUT/documents.jsonl: the command, the stream, the outputs."""
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--format", "jsonl", "-j", "1"]
    assert run(*args).exit_code == 0
    return args, out / "documents.jsonl", outputs(out)


def test_one_jsonl_stream_changed_by_hand_is_not_copied_from(tmp_path):
    args, stream, want = _one_stream(tmp_path)
    stream.write_bytes(stream.read_bytes().replace(b'"text":"', b'"text":"EDITED ', 1))
    again = run(*args)
    assert " 0 up to date" in again.stderr.splitlines()[0] and outputs(stream.parent) == want


def test_one_jsonl_stream_reordered_by_hand_stops_the_run_and_force_repairs_it(tmp_path):
    """Same size, same modification time, lines swapped: the ids give it away."""
    args, stream, want = _one_stream(tmp_path)
    info = stream.stat()
    lines = stream.read_bytes().splitlines(keepends=True)
    stream.write_bytes(b"".join([lines[1], lines[0], *lines[2:]]))
    os.utime(stream, ns=(info.st_atime_ns, info.st_mtime_ns))
    stopped = run(*args)
    assert stopped.exit_code == 1
    assert "changed since the last run" in stopped.stderr and "--force" in stopped.stderr
    assert run(*args, "--force").exit_code == 0 and outputs(stream.parent) == want


class _StopAfter(Events):
    """Interrupt a run as Ctrl-C would, after ``count`` inputs."""

    def __init__(self, count: int):
        self.left = count

    def tick(self) -> None:
        self.left -= 1
        if self.left == 0:
            raise KeyboardInterrupt


def test_interrupted_run_of_one_jsonl_stream_resumes_to_the_same_bytes(tmp_path):
    """The journal of a run that never committed its stream must not be taken for that of the
    stream on disk (whose lines are where an earlier run put them)."""
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    config = load_config(start=Path("/"))
    options = batch.Options(out, "jsonl")
    count = len(list(src.rglob("*.txt")))

    def items():
        return read_items(source.discover([src], source.DEFAULT_INCLUDE), 1 << 20, "text")

    assert batch.Batch(config, options).run(items()).cleaned == count
    (src / "0-new.txt").write_text("A new article, which comes first in the order.\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        batch.Batch(config, options, _StopAfter(count // 2)).run(items())
    summary = batch.Batch(config, options).run(items())
    assert summary.cleaned + summary.up_to_date == count + 1 and summary.cleaned >= 1
    fresh = tmp_path / "fresh"
    batch.Batch(config, batch.Options(fresh, "jsonl")).run(items())
    assert outputs(out) == outputs(fresh)


def test_fewer_shards_on_rerun_removes_stale_shards(tmp_path):
    src = corpus(tmp_path / "in")
    out = tmp_path / "out"
    run("clean", str(src), "-o", str(out), "--format", "jsonl", "--shard-size", "5", "-j", "1")
    run("clean", str(src), "-o", str(out), "--format", "jsonl", "--shard-size", "1000", "-j", "1")
    assert sorted(p.name for p in out.glob("documents*")) == ["documents-00000.jsonl"]


# --- paths ---------------------------------------------------------------------------------

def test_symlink_loop_and_same_file_twice(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_bytes(SEED.read_bytes())
    (src / "sub" / "loop").symlink_to(src, target_is_directory=True)
    (src / "link.txt").symlink_to(src / "sub" / "a.txt")
    out = tmp_path / "out"
    result = run("clean", str(src), str(src / "sub" / "a.txt"), "-o", str(out), "-j", "1", "-v")
    assert result.exit_code == 0, result.stderr
    assert "symbolic link loop, not followed" in result.stderr
    assert [r["source"] for r in manifest(out)] == [str(src / "link.txt")]
    assert result.stderr.count("same file as") == 2
    assert "cleaned 1 file(s), 0 failed, 0 up to date, 2 given twice" in result.stderr


def test_output_folder_inside_input_folder_is_not_read_back(tmp_path):
    src = corpus(tmp_path / "in")
    count = len(list(src.rglob("*.txt")))
    out = src / "clean"
    for _ in range(2):
        result = run("clean", str(src), "-o", str(out), "-j", "1", "--force")
        assert result.stderr.startswith(f"cleaned {count} file(s)")
    assert not [r for r in manifest(out) if "/clean/" in r["source"]]


def test_two_inputs_with_one_output_are_reported_not_overwritten(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.text").write_text("Le premier texte.\n")
    (src / "a.txt").write_text("Le second texte.\n")
    out = tmp_path / "out"
    result = run("clean", str(src), "-o", str(out), "--include", "*.text", "--include", "*.txt", "-j", "1")
    assert result.exit_code == 1
    assert (out / "a.txt").read_text() == "Le premier texte.\n"
    assert f"error: {src / 'a.txt'}: same output as {src / 'a.text'} (id 'a'); not written" in result.stderr


def test_two_input_folders_with_the_same_names_have_unique_ids_in_jsonl(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder, name in (("dumps", "a.txt"), ("html", "a.html"), ("html", "b.txt")):
        Path(folder).mkdir(exist_ok=True)
        Path(folder, name).write_bytes(SEED.read_bytes())
    result = run("clean", "dumps/", "html", "--format", "jsonl", "-o", "out", "--shard-size", "1", "-j", "1")
    assert result.exit_code == 0, result.stderr
    shards = sorted(Path("out").glob("documents-*.jsonl"))
    assert [json.loads(p.read_text())["id"] for p in shards] == ["dumps/a", "html/a", "html/b"]
    text = run("clean", "dumps/", "html", "-o", "text-out", "-j", "1")  # one file per id: still an error
    assert text.exit_code == 1 and "html/a.html: same output as dumps/a.txt (id 'a')" in text.stderr
    assert run("clean", "dumps/", "--format", "jsonl", "-j", "1").stdout.startswith('{"id":"a",')


def test_a_shard_whose_inputs_all_failed_is_not_written(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "c.txt"):
        (src / name).write_bytes(SEED.read_bytes())
    (src / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # binary: fails
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--format", "jsonl", "--shard-size", "1", "-j", "1"]
    first = run(*args)
    assert first.exit_code == 1 and "1 failed" in first.stderr
    assert sorted(p.name for p in out.glob("documents*")) == ["documents-00000.jsonl", "documents-00002.jsonl"]
    assert all(p.stat().st_size for p in out.glob("documents*"))
    before = outputs(out)
    again = run(*args)
    assert again.exit_code == 1 and "0 failed" not in again.stderr and " 2 up to date" in again.stderr
    assert outputs(out) == before
    (src / "b.txt").write_bytes(SEED.read_bytes())
    assert run(*args).exit_code == 0 and (out / "documents-00001.jsonl").stat().st_size
    (src / "b.txt").write_bytes(b"\x00\x01binary")
    assert run(*args).exit_code == 1 and not (out / "documents-00001.jsonl").exists()
    alone = run("clean", str(src / "b.txt"), "-o", str(tmp_path / "one"), "--format", "jsonl", "-j", "1")
    assert alone.exit_code == 1 and not list((tmp_path / "one").glob("documents*"))


def test_writing_into_the_input_folder_never_overwrites_an_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Un texte\n, coupé.\n")
    result = run("clean", str(src / "a.txt"), "-o", str(src), "-j", "1")
    assert result.exit_code == 1 and "would be overwritten by its own output" in result.stderr
    same = run("clean", str(src), "-o", str(src), "-j", "1")
    assert same.exit_code == 2 and "the output folder cannot be an input folder" in same.stderr
    assert (src / "a.txt").read_text() == "Un texte\n, coupé.\n"


# --- hostile input and faults --------------------------------------------------------------

def _jsonl(*records: object) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records).encode()


# name -> (files to make in the input folder, extra options, the one error line, relative to the folder)
BAD_INPUTS = {
    "file over --max-size": ({"big.txt": b"a" * 9000}, ["--max-size", "8k"],
                             "big.txt: too large (9000 bytes, limit 8192), not read"),
    "vanished file (dangling link)": ({"gone.txt": "->nowhere"}, [],
                                      "gone.txt: cannot read (No such file or directory)"),
    "not a regular file (FIFO)": ({"pipe.txt": "fifo"}, [], "pipe.txt: not a regular file"),
    "two inputs, one output": ({"z.text": b"Texte.\n", "z.txt": b"Autre.\n"}, ["--include", "*.text"],
                               "z.txt: same output as {dir}/z.text (id 'z'); not written, rename one of them"),
    "JSONL line not JSON": ({"d.jsonl": b'{"id": "ok", "text": "Un texte.\\n"}\n{oops\n'}, [],
                            "d.jsonl:2: not a JSON record (Expecting property name enclosed in double quotes:"
                            " line 1 column 2 (char 1))"),
    "JSONL record without text": ({"d.jsonl": _jsonl({"id": "x", "body": "b"})}, [],
                                  "d.jsonl:1: no string field 'text' in the record"),
    "JSONL record over --max-size": ({"d.jsonl": _jsonl({"id": "x", "text": "y" * 9000})},
                                     ["--max-size", "8k"], "d.jsonl:1: record too large (limit 8192 bytes), not read"),
    "JSONL id escaping OUTDIR": ({"d.jsonl": _jsonl({"id": "../../x", "text": "Un texte.\n"})}, [],
                                 "d.jsonl:1: id '../../x' is not a safe file name inside the output folder"),
    "JSONL id that is absolute": ({"d.jsonl": _jsonl({"id": "/tmp/x", "text": "Un texte.\n"})}, [],
                                  "d.jsonl:1: id '/tmp/x' is not a safe file name inside the output folder"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_a_bad_input_is_one_line_and_the_batch_goes_on(tmp_path, case):
    files, options, error = BAD_INPUTS[case]
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_bytes(SEED.read_bytes())
    for name, content in files.items():
        if content == "fifo":
            os.mkfifo(src / name)
        elif isinstance(content, str):
            (src / name).symlink_to(src / content[2:])
        else:
            (src / name).write_bytes(content)
    before = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file() and p.suffix != ".txt" or
              p.name == "good.txt"}
    out = tmp_path / "out"
    result = run("clean", str(src), "-o", str(out), "-j", "1", "--include", "*.txt", "--include", "*.jsonl",
                 *options)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {src}/" + error.format(dir=src)]
    assert (out / "good.txt").read_bytes() == (FIXTURES / "seed-000" / "expected.txt").read_bytes()
    assert before == {p.name: p.read_bytes() for p in src.iterdir() if p.is_file() and p.suffix != ".txt"
                      or p.name == "good.txt"}
    assert [r["error"] for r in manifest(out) if r["error"]] == [errors[0][len("error: "):]]


def test_unreadable_oversized_and_odd_files_are_reported_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_bytes(b"a" * 20000 + b"\n")
    (src / "good.txt").write_bytes(SEED.read_bytes())
    (src / "vanished.txt").symlink_to(src / "gone")
    os.mkfifo(src / "pipe.txt")
    snapshot = {p: (p.lstat().st_mtime_ns, p.read_bytes() if p.is_file() else None)
                for p in src.iterdir() if not p.name.startswith("pipe")}
    out = tmp_path / "out"
    result = run("clean", str(src), "-o", str(out), "-j", "1", "--max-size", "16k")
    assert result.exit_code == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert errors == [
        f"error: {src / 'big.txt'}: too large (20001 bytes, limit 16384), not read",
        f"error: {src / 'pipe.txt'}: not a regular file",
        f"error: {src / 'vanished.txt'}: cannot read (No such file or directory)",
    ]
    assert sorted(outputs(out)) == ["good.txt", "manifest.jsonl"]
    assert snapshot == {p: (p.lstat().st_mtime_ns, p.read_bytes() if p.is_file() else None)
                        for p in src.iterdir() if not p.name.startswith("pipe")}


def test_stdout_on_a_full_disk_is_one_line(tmp_path):
    with open("/dev/full", "wb") as full:
        result = subprocess.run([CLEANER, "clean", str(SEED), "--format", "jsonl"], stdout=full,
                                stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1
    assert result.stderr == "error: <stdout>: cannot write (No space left on device)\n"


def _in_small_mount(tmp_path: Path, options: str, args: list[str]) -> subprocess.CompletedProcess:
    """Run the cleaner with OUTDIR on a tmpfs mounted with ``options``, in a private mount
    namespace (root or user namespaces needed: skipped where not allowed)."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare not available")
    out = tmp_path / "mnt"
    out.mkdir()
    script = f'mount -t tmpfs -o {options} tmpfs "$1" && shift && exec "$@"'
    command = ["unshare", "-rm", "sh", "-c", script, "sh", str(out), CLEANER, *args, "-o", str(out)]
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {out}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode().strip()}")
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_full_disk_is_one_line_error(tmp_path):
    src = corpus(tmp_path / "in")
    result = _in_small_mount(tmp_path, "size=48k", ["clean", str(src), "-j", "1", "-q"])
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert "No space left on device" in result.stderr or "disk is full" in result.stderr


def test_read_only_output_folder_is_one_line_error(tmp_path):
    result = _in_small_mount(tmp_path, "ro", ["clean", str(SEED), "-j", "1", "-q"])
    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'mnt' / '.cleaner'}: cannot write (Read-only file system)\n"
