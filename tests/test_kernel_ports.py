"""Kernels started by the test run take their ports below Linux's ephemeral range, and no two
processes draw the same port (tests/site/sitecustomize.py), in the run's own processes and in
those it starts (nbgrader, JupyterLab)."""

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client.connect import LocalPortCache

PICK = (
    "from jupyter_client.connect import LocalPortCache\n"
    "cache = LocalPortCache.instance()\n"
    "print(*(cache.find_available_port('127.0.0.1') for _ in range(5)))\n"
)


def test_this_process_picks_ports_below_the_ephemeral_range():
    cache = LocalPortCache.instance()
    ports = [cache.find_available_port("127.0.0.1") for _ in range(5)]
    try:
        assert len(set(ports)) == 5
        assert all(10000 <= p < 32000 for p in ports), ports
        # a port given back is not drawn again while its mark holds (a kernel may still be on it)
        for port in ports:
            cache.return_port(port)
        again = [cache.find_available_port("127.0.0.1") for _ in range(5)]
        assert not set(again) & set(ports), (ports, again)
        ports += again
    finally:
        for port in ports:
            cache.return_port(port)


def test_processes_the_run_starts_pick_them_too_and_never_the_same_ones():
    picked = [
        [int(p) for p in subprocess.check_output([sys.executable, "-c", PICK], text=True).split()]
        for _ in range(3)
    ]
    for ports in picked:
        assert all(10000 <= p < 32000 for p in ports), ports
    assert len({p for ports in picked for p in ports}) == 15, picked


@pytest.fixture
def ports(tmp_path, monkeypatch):
    """A fresh copy of tests/site/sitecustomize.py whose marks go to a folder of this test's."""
    site = Path(__file__).parent / "site" / "sitecustomize.py"
    spec = importlib.util.spec_from_file_location("kernel_ports_under_test", site)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "MARKS", str(tmp_path / "marks"))
    return module


def test_a_port_is_claimed_once_until_its_mark_is_stale(ports, tmp_path):
    (tmp_path / "marks").mkdir()
    assert ports.claim(12345)
    assert not ports.claim(12345)  # another process, or a later kernel of this one
    stale = time.time() - ports.HONOURED - 1
    os.utime(tmp_path / "marks" / "12345", (stale, stale))
    assert ports.claim(12345)
    assert not ports.claim(12345)


def test_the_end_of_a_run_sweeps_stale_marks_and_keeps_live_ones(ports, tmp_path):
    marks = tmp_path / "marks"
    assert ports.sweep() == 0  # no folder yet
    marks.mkdir()
    for port in (12001, 12002, 12003):
        assert ports.claim(port)
    stale = time.time() - ports.HONOURED - 1
    for port in (12001, 12002):
        os.utime(marks / str(port), (stale, stale))
    assert ports.sweep() == 2
    assert sorted(os.listdir(marks)) == ["12003"]  # a run still going on keeps its port
    os.utime(marks / "12003", (stale, stale))
    assert ports.sweep() == 1
    assert not marks.exists()
