"""Kernels started by the test run take their ports below Linux's ephemeral range, each process
from a block of its own (tests/site/sitecustomize.py), in the run's own processes and in those it
starts (nbgrader, JupyterLab)."""

import subprocess
import sys

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
    finally:
        for port in ports:
            cache.return_port(port)


def test_processes_the_run_starts_pick_them_too_each_from_its_own_block():
    picked = [
        [int(p) for p in subprocess.check_output([sys.executable, "-c", PICK], text=True).split()]
        for _ in range(2)
    ]
    for ports in picked:
        assert all(10000 <= p < 32000 for p in ports), ports
    assert not set(picked[0]) & set(picked[1]), picked
