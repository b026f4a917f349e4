#!/usr/bin/env python3
"""When a starting daemon's socket appears, and when it answers its first request (a READ of /).

    bench/probe/first-reply.py SOCKET -- COMMAND...

Starts COMMAND (a daemon serving SOCKET, in the foreground), polls every 0.5 ms, prints both times from the start
in seconds, then stops the daemon (SIGTERM). The gap between the two is what a client waits after the socket file
exists (docs/performance.md, "Issue 17, second pass").
"""
import os
import socket
import struct
import subprocess
import sys
import time

if len(sys.argv) < 4 or sys.argv[2] != "--":
    sys.exit(__doc__)
path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
t0 = time.monotonic()
daemon = subprocess.Popen(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
appeared = None
try:
    while daemon.poll() is None and time.monotonic() - t0 < 30:
        if appeared is None and os.path.exists(path):
            appeared = time.monotonic() - t0
        if appeared is not None:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(path)
                s.sendall(struct.pack("<IIII", 2, 0, 0, 2) + b"/\0")
                s.recv(4096)
                s.close()
                print("socket appeared after %.3f s, first reply after %.3f s" % (appeared, time.monotonic() - t0))
                break
            except OSError:
                pass
        time.sleep(0.0005)
    else:
        sys.exit("the daemon did not answer")
finally:
    daemon.terminate()
    daemon.wait()
