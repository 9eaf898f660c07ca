"""Kernel ports that no two processes of a test run take at once: loaded by every Python process of
the run (``PYTHONPATH=tests/site``, set by tests/conftest.py and by make's test targets).

jupyter_client picks a kernel's five TCP ports by binding port 0 and letting each go, and the
kernel binds them a moment later. Port 0 comes from Linux's ephemeral range (32768-60999), which
every outgoing connection and every other such pick share, so another process can take a port in
that moment: the kernel dies with "Address already in use" and a test fails for nothing
(jupyter/jupyter_client#487). Here a port is drawn at random below that range and is taken only
by the process that creates its mark (``O_EXCL``) in a folder all processes share; a mark is
honoured for ten minutes, long after the kernel has bound the port, so no other process (nor a
later kernel of the same one) draws it in the meantime. Nothing is imported at start-up:
``jupyter_client.connect`` is patched when something imports it.
"""

import importlib.abc
import os
import random
import socket
import sys
import tempfile
import time

FIRST, LAST = 10000, 32000  # below the ephemeral range
MARKS = os.path.join(tempfile.gettempdir(), f"course-kernel-ports-{os.getuid()}")
HONOURED = 600  # seconds a mark keeps its port from every other draw


def clear_if_stale(mark: str) -> bool:
    """Remove ``mark`` if no draw honours it any more; whether it went."""
    try:
        if time.time() - os.stat(mark).st_mtime > HONOURED:
            os.unlink(mark)
            return True
    except OSError:  # no mark, or another process cleared it first
        pass
    return False


def claim(port: int) -> bool:
    """Whether this process now holds ``port``'s mark (a stale mark is cleared first)."""
    mark = os.path.join(MARKS, str(port))
    clear_if_stale(mark)
    try:
        os.close(os.open(mark, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        return False
    return True


def sweep() -> int:
    """Remove the marks no draw honours any more (the run's controller calls it at the end), and
    the folder when it is left empty; marks of a run still going on stay. How many went."""
    try:
        names = os.listdir(MARKS)
    except OSError:
        return 0
    gone = sum(clear_if_stale(os.path.join(MARKS, name)) for name in names)
    try:
        os.rmdir(MARKS)
    except OSError:  # not empty: another run's marks, or this run's recent ones
        pass
    return gone


def find_available_port(self, ip: str) -> int:
    os.makedirs(MARKS, mode=0o700, exist_ok=True)
    draw = random.SystemRandom()
    for _ in range(10 * (LAST - FIRST)):
        port = draw.randrange(FIRST, LAST)
        if port in self.currently_used_ports or not claim(port):
            continue
        with socket.socket() as probe:
            try:
                probe.bind((ip, port))
            except OSError:  # a listener that is not a test kernel: its mark stays, unused
                continue
        self.currently_used_ports.add(port)
        return port
    raise OSError(f"no free port between {FIRST} and {LAST}")


class PatchOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "jupyter_client.connect":
            return None
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                spec = finder.find_spec(name, path, target)
                if spec is not None:
                    break
        else:
            return None
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.LocalPortCache.find_available_port = find_available_port

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    if "jupyter_client.connect" in sys.modules:
        sys.modules[
            "jupyter_client.connect"
        ].LocalPortCache.find_available_port = find_available_port
    elif not any(isinstance(f, PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, PatchOnImport())


install()
