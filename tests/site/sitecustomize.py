"""Kernel ports that two test workers never both take: loaded by every Python process of a test run
(``PYTHONPATH=tests/site``, set by tests/conftest.py and by make's test targets).

jupyter_client picks a kernel's five TCP ports by binding port 0 and letting each go, and the
kernel binds them a moment later. Port 0 comes from Linux's ephemeral range (32768-60999), which
every outgoing connection and every other such pick share, so another process can take a port in
that moment: the kernel dies with "Address already in use" and a test fails for nothing
(jupyter/jupyter_client#487). Here each process takes its ports below that range, from a block of
its own that starts at an offset given by its process id, and checks each with a bind.
Nothing is imported at start-up: ``jupyter_client.connect`` is patched when something imports it.
"""

import importlib.abc
import os
import socket
import sys

FIRST, LAST = 10000, 32000  # below the ephemeral range
BLOCK = 25  # ports a process's kernels take before it reaches the next process's block


def find_available_port(self, ip: str) -> int:
    span = LAST - FIRST
    start = (os.getpid() * BLOCK) % span
    for offset in range(span):
        port = FIRST + (start + offset) % span
        if port in self.currently_used_ports:
            continue
        with socket.socket() as probe:
            try:
                probe.bind((ip, port))
            except OSError:
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
