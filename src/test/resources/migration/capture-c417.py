#!/usr/bin/python3
# Copyright the jxenstored authors. Licensed under the Apache License, Version 2.0.
"""Captures a real xenstore migration stream ("state_dump") from Debian 12's C xenstored 4.17.

Not part of the build: run by hand (as root) where the xenstored "anchors" kit is available, then review and
commit the result.  See README.md next to this file for what the store holds and why.

    ANCHORS=<the anchors directory> src/test/resources/migration/capture-c417.py [OUT]

OUT defaults to c417-state-dump.bin next to this script.  The script starts C xenstored 4.17 in a fresh
/tmp/jxmig.XXXX directory under the anchors' LD_PRELOAD shim, fills the store, opens connections that leave
state behind (watches, queued watch events, an open transaction, a delayed and a half-read request), then
live-updates the daemon with `anchors/live-update.sh DIR capture-successor.sh -t 3 -F`.  The "successor" is a
two-line script: it copies $XENSTORED_RUNDIR/state_dump to DIR/captured.dump and execs the real C xenstored
with the same arguments, so the same C binary reads the dump back; the script then checks that the restored
daemon answers as before (tree, watches, queued events, the delayed request) and stops everything.
"""
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

ANCHORS = os.environ.get("ANCHORS", "")
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "c417-state-dump.bin")
C_XENSTORED = "/usr/lib/xen-4.17/bin/xenstored"
LS = "/usr/bin/xenstore-ls"

# xs_wire.h message types
XS_READ, XS_WATCH, XS_TRANSACTION_START, XS_WRITE, XS_SET_PERMS = 2, 4, 6, 11, 14
XS_WATCH_EVENT, XS_ERROR, XS_SET_TARGET = 15, 16, 19


class Xs:
    """A raw xenstore wire client (little-endian host): full control over what is sent and read."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.req = 0
        self.events = []

    def send(self, typ, payload, tx=0, req=None):
        if req is None:
            self.req += 1
            req = self.req
        self.s.sendall(struct.pack("<IIII", typ, req, tx, len(payload)) + payload)
        return req

    def recv_msg(self):
        hdr = self._recvn(16)
        typ, req, tx, n = struct.unpack("<IIII", hdr)
        return typ, req, tx, self._recvn(n)

    def _recvn(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise EOFError("connection closed")
            b += c
        return b

    def call(self, typ, payload, tx=0):
        req = self.send(typ, payload, tx)
        while True:
            t, r, _, body = self.recv_msg()
            if t == XS_WATCH_EVENT:
                self.events.append(body)
                continue
            if r != req:
                raise RuntimeError("unexpected reply %r" % ((t, r, body),))
            if t == XS_ERROR:
                raise RuntimeError("error %r for %r" % (body, payload))
            return body

    def write(self, path, value, tx=0):
        self.call(XS_WRITE, path.encode() + b"\0" + value, tx)

    def watch(self, path, token):
        self.call(XS_WATCH, path.encode() + b"\0" + token.encode() + b"\0")

    def perms(self, path, *entries):
        self.call(XS_SET_PERMS, path.encode() + b"\0" + b"".join(e.encode() + b"\0" for e in entries))

    def wait_events(self, n, timeout=5.0):
        self.s.settimeout(timeout)
        try:
            while len(self.events) < n:
                t, _, _, body = self.recv_msg()
                if t != XS_WATCH_EVENT:
                    raise RuntimeError("unexpected message type %d" % t)
                self.events.append(body)
        finally:
            self.s.settimeout(None)


def run(*cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, **kw)


def ls(d):
    env = dict(os.environ, XENSTORED_PATH=d + "/socket")
    return subprocess.run([LS, "-fp", "/"], env=env, check=True, capture_output=True).stdout


def main():
    if not ANCHORS or not os.access(os.path.join(ANCHORS, "start.sh"), os.X_OK):
        sys.exit("capture-c417.py: set ANCHORS to the anchors directory (the kit with start.sh, guest.sh, "
                 "live-update.sh and stop.sh)")
    d = tempfile.mkdtemp(prefix="jxmig.", dir="/tmp")
    ok = False
    try:
        run(ANCHORS + "/start.sh", "cxenstored", d)
        sock = d + "/socket"
        admin = Xs(sock)
        # nodes: plain, binary, empty, deep, several permission entries, an owner other than Dom0
        admin.write("/data/plain", b"hello")
        admin.write("/data/binary", bytes([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x0a]))
        admin.write("/data/empty", b"")
        admin.write("/data/deep/a/b/c/d/e/f/g/h", b"deep")
        admin.write("/data/perms", b"p")
        admin.perms("/data/perms", "n0", "r1", "w2", "b9")
        admin.write("/data/owned9", b"nine")
        admin.perms("/data/owned9", "b9", "r0")
        admin.perms("@introduceDomain", "n0", "r9")
        # guests: dom9 (ring connection with watches) and dom10, made dom9's device model (SET_TARGET)
        run(ANCHORS + "/guest.sh", d, "9")
        run(ANCHORS + "/guest.sh", d, "10")
        admin.call(XS_SET_TARGET, b"10\x009\x00")
        guest = Xs(d + "/dom9.sock")  # acts as dom9 through its ring
        guest.write("data/x", b"guest value")  # relative: /local/domain/9/data/x, owned by dom9
        guest.watch("data", "g9-rel")
        guest.watch("/local/domain/9/control", "g9-abs")
        guest.wait_events(2)
        # a Dom0 socket client with watches, all its events read
        watcher = Xs(sock)
        watcher.watch("/data", "w-data")
        watcher.watch("@releaseDomain", "w-rel")
        watcher.wait_events(2)
        # a client that stops reading: its watch events queue up in the daemon (CONN out-data)
        lazy = Xs(sock)
        lazy.watch("/spam", "lazy")
        lazy.wait_events(1)
        # distinct paths: 4.17 drops an event identical to one still queued.  The socket takes ~35 events,
        # the daemon queues the rest.
        n_spam = int(os.environ.get("SPAM", "50"))
        for i in range(n_spam):
            admin.write("/spam/%d" % i, b"")
        # an open transaction with a change in it (4.17 dumps neither the transaction nor its node)
        tx_client = Xs(sock)
        tx_id = int(tx_client.call(XS_TRANSACTION_START, b"\0").rstrip(b"\0"))
        tx_client.write("/data/in-transaction", b"pending", tx=tx_id)
        # quota change: 4.17 keeps quotas in memory only (no GLOBAL_QUOTA record in its stream)
        run("/usr/lib/xen-4.17/bin/xenstore-control", "quota", "set", "nodes", "1500",
            env=dict(os.environ, XENSTORED_PATH=sock))
        before = ls(d)

        succ = d + "/capture-successor.sh"
        with open(succ, "w") as f:
            f.write("#!/bin/sh\ncp \"$XENSTORED_RUNDIR/state_dump\" \"$XENSTORED_RUNDIR/captured.dump\"\n"
                    "exec %s \"$@\"\n" % C_XENSTORED)
        os.chmod(succ, 0o755)
        lu = subprocess.Popen([ANCHORS + "/live-update.sh", d, succ, "-t", "3", "-F"])
        time.sleep(1.2)  # the update now waits for tx_client's transaction (-t 3, then forced)
        late = Xs(sock)
        # delayed while the update is pending (a complete request in the CONN in-data) ...
        late.send(XS_TRANSACTION_START, b"\0", req=7001)
        time.sleep(0.2)
        # ... then a request of which the daemon has read the header and 6 of 20 payload bytes
        body = b"/data/late\0" + b"late-val!"
        assert len(body) == 20
        late.s.sendall(struct.pack("<IIII", XS_WRITE, 7002, 0, len(body)) + body[:6])
        if lu.wait(timeout=120) != 0:
            raise RuntimeError("live update failed")

        shutil.copyfile(d + "/captured.dump", OUT)
        print("captured %d bytes -> %s" % (os.path.getsize(OUT), OUT))

        # the restored C daemon: same tree, delayed request answered, half request completed, events kept
        after = ls(d)
        assert before == after, "tree differs after the update"
        late.s.sendall(body[6:])
        got = {}
        late.s.settimeout(5)
        while len(got) < 2:
            t, r, _, b = late.recv_msg()
            got[r] = (t, b)
        print("late client: %r" % got)
        assert got[7001][0] == XS_TRANSACTION_START and got[7002] == (XS_WRITE, b"OK\0")
        try:
            lazy.wait_events(1 + n_spam, timeout=10)
        finally:
            print("lazy client: %d events, last %r" % (len(lazy.events), lazy.events[-1]))
        admin.write("/data/after", b"1")
        watcher.wait_events(3)
        guest.write("data/y", b"2")
        guest.wait_events(3)
        print("watches fire after the update: %r, %r" % (watcher.events[-1], guest.events[-1]))
        ok = True
    finally:
        subprocess.run([ANCHORS + "/stop.sh", d])
        if ok:
            shutil.rmtree(d, ignore_errors=True)
        else:
            print("kept %s for inspection" % d)


if __name__ == "__main__":
    main()
