"""The batch on a real Dask cluster (a LocalCluster of 2 worker processes on loopback):
same bytes as the local run, and a worker killed mid-run still ends with every output written once."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from cleaner import Cleaner, load_config
from conftest import FIXTURES
from test_batch import CLEANER, corpus, outputs, run

distributed = pytest.importorskip("distributed")
dask_bag = pytest.importorskip("dask.bag")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=logging.ERROR) as local:
        yield local


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A corpus and its local (-j 1) outputs."""
    root = tmp_path_factory.mktemp("dask")
    src = corpus(root / "in", copies=6)
    assert run("clean", str(src), "-o", str(root / "local"), "-j", "1", "-q").exit_code == 0
    return src, outputs(root / "local")


def test_cli_on_a_dask_cluster_gives_the_local_bytes(cluster, reference, tmp_path):
    src, want = reference
    result = subprocess.run([CLEANER, "clean", str(src), "-o", str(tmp_path / "out"),
                             "--scheduler", cluster.scheduler_address], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert outputs(tmp_path / "out") == want


def test_a_worker_killed_mid_run_still_gives_every_output_once(cluster, reference, tmp_path):
    src, want = reference
    out = tmp_path / "out"
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        victim = sorted(client.run(os.getpid).values())[0]
        process = subprocess.Popen([CLEANER, "clean", str(src), "-o", str(out), "-v",
                                    "--scheduler", cluster.scheduler_address],
                                   stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(outputs(out) if out.is_dir() else {}) < 5 and time.monotonic() < deadline:
            assert process.poll() is None, "the run ended before a worker could be killed"
            time.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        assert len(outputs(out)) < len(want) - 1, "the run was over when the worker was killed"
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        client.wait_for_workers(2, timeout=60)
        assert victim not in client.run(os.getpid).values()
    assert outputs(out) == want
    written = Counter(line.split(" -> ")[1].split(" (")[0] for line in stderr.splitlines() if " -> " in line)
    assert sorted(written) == sorted(name for name in want if name != "manifest.jsonl")
    assert set(written.values()) == {1}


def test_clean_bag_maps_the_cleaner_over_a_dask_bag(cluster):
    from cleaner.batch.cluster import clean_bag

    seed = (FIXTURES / "seed-000" / "input.txt").read_text(encoding="utf-8")
    records = [{"id": f"doc-{i}", "text": seed if i % 2 else f"Article {i}\n, coupé.\n", "url": f"u{i}"}
               for i in range(12)]
    records.append({"id": "broken"})
    config = load_config(start=Path("/"))
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        bag = dask_bag.from_sequence(records, npartitions=4)
        cleaned = client.compute(clean_bag(bag, config)).result()
        kept = client.compute(clean_bag(bag, config, errors="keep")).result()
    local = Cleaner(config)
    expected = []
    for record in records[:-1]:
        doc = local.clean(record["text"], id=record["id"], metadata={"url": record["url"]})
        expected.append({"id": doc.id, "text": doc.text, "metadata": doc.metadata})
    assert cleaned == expected
    assert kept[:-1] == expected and kept[-1] == {"id": "broken", "text": None,
                                                 "metadata": {"error": "broken: no text"}}
