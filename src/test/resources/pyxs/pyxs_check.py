#!/usr/bin/python3
"""Functional check of a xenstore daemon through pyxs (Debian: python3-pyxs).

    /usr/bin/python3 pyxs_check.py SOCKET

Prints one line per check ("ok   NAME" or "FAIL NAME: detail") and a summary
line; exits 0 when every check passed, 1 otherwise (2 on bad usage, and any
uncaught exception also gives a non-zero exit).  Every client is a socket
(dom0) client.  All nodes live under /pyxs-check, which is removed at the end.
"""
import errno
import queue
import sys
import traceback

import pyxs
from pyxs._internal import NUL, Op

if len(sys.argv) != 2:
    sys.stderr.write("usage: pyxs_check.py SOCKET\n")
    sys.exit(2)
SOCK = sys.argv[1]
BASE = b"/pyxs-check"

failures = 0


def check(name, cond, detail=None):
    global failures
    if cond:
        print("ok   " + name)
    else:
        failures += 1
        print("FAIL " + name + ("" if detail is None else ": %r" % (detail,)))
    sys.stdout.flush()


def p(rel):
    return BASE + b"/" + rel


def errno_of(fn):
    """Runs fn(); returns None if it succeeded, else the PyXSError errno."""
    try:
        fn()
    except pyxs.PyXSError as e:
        return e.args[0] if e.args else e
    return None


def next_event(mon, timeout=5.0):
    try:
        return mon.events.get(timeout=timeout)
    except queue.Empty:
        return None


def client():
    return pyxs.Client(unix_socket_path=SOCK)


def run():
    with client() as c, client() as other:
        # ---- plain node operations ------------------------------------
        c.write(p(b"a"), b"1")
        check("write + read", c.read(p(b"a")) == b"1", c.read(p(b"a"), b"?"))
        c.write(p(b"a"), b"two words")
        check("overwrite", c.read(p(b"a")) == b"two words",
              c.read(p(b"a"), b"?"))
        c.write(p(b"empty"), b"")
        check("empty value", c.read(p(b"empty")) == b"",
              c.read(p(b"empty"), b"?"))
        check("read missing -> ENOENT",
              errno_of(lambda: c.read(p(b"nope"))) == errno.ENOENT,
              errno_of(lambda: c.read(p(b"nope"))))
        check("read missing with default",
              c.read(p(b"nope"), b"dflt") == b"dflt")

        c.mkdir(p(b"dir/sub"))
        check("mkdir creates node and parents with empty values",
              c.read(p(b"dir")) == b"" and c.read(p(b"dir/sub")) == b"")
        c.write(p(b"dir/sub/leaf"), b"x")
        c.mkdir(p(b"dir/sub/leaf"))
        check("mkdir keeps an existing value",
              c.read(p(b"dir/sub/leaf")) == b"x",
              c.read(p(b"dir/sub/leaf"), b"?"))

        check("list", sorted(c.list(BASE)) == [b"a", b"dir", b"empty"],
              c.list(BASE))
        check("list of a leaf is empty", c.list(p(b"dir/sub/leaf")) == [],
              c.list(p(b"dir/sub/leaf")))
        check("list missing -> ENOENT",
              errno_of(lambda: c.list(p(b"nope"))) == errno.ENOENT)

        check("exists (present)", c.exists(p(b"a")) is True)
        check("exists (absent)", c.exists(p(b"nope")) is False)

        c.delete(p(b"empty"))
        check("rm node", not c.exists(p(b"empty")))
        c.delete(p(b"dir"))
        check("rm subtree", not c.exists(p(b"dir")) and
              not c.exists(p(b"dir/sub/leaf")))
        check("rm missing node whose parent exists is OK",
              errno_of(lambda: c.delete(p(b"nope"))) is None)
        check("rm below a missing parent -> ENOENT",
              errno_of(lambda: c.delete(p(b"nope/deeper"))) == errno.ENOENT)

        # ---- directory reply size limit (XENSTORE_PAYLOAD_MAX = 4096) ---
        # A DIRECTORY reply is the children's names, each NUL-terminated.
        # Bigger ones fail with E2BIG (libxenstore then falls back to
        # DIRECTORY_PART; pyxs has no fallback).
        for i in range(256):                      # 256 * 16 = 4096 bytes
            c.write(p(b"fits/n%014d" % i), b"")
        for i in range(255):                      # 255 * 16 + 17 = 4097
            c.write(p(b"toobig/n%014d" % i), b"")
        c.write(p(b"toobig/m%015d" % 0), b"")
        check("list: a 4096-byte directory reply fits",
              len(c.list(p(b"fits"))) == 256)
        check("list: a 4097-byte directory reply -> E2BIG",
              errno_of(lambda: c.list(p(b"toobig"))) == errno.E2BIG,
              errno_of(lambda: c.list(p(b"toobig"))))
        c.delete(p(b"fits"))
        c.delete(p(b"toobig"))

        # ---- permissions ----------------------------------------------
        check("default perms of a dom0 node", c.get_perms(p(b"a")) == [b"n0"],
              c.get_perms(p(b"a")))
        c.set_perms(p(b"a"), [b"n0", b"r5", b"w7", b"b9"])
        check("set/get perms", c.get_perms(p(b"a")) ==
              [b"n0", b"r5", b"w7", b"b9"], c.get_perms(p(b"a")))
        c.set_perms(p(b"a"), [b"r3"])
        check("set perms: owner 3, others read",
              c.get_perms(p(b"a")) == [b"r3"], c.get_perms(p(b"a")))
        check("get perms missing -> ENOENT",
              errno_of(lambda: c.get_perms(p(b"nope"))) == errno.ENOENT)
        check("get_domain_path(0)", c.get_domain_path(0) == b"/local/domain/0",
              c.get_domain_path(0))
        check("get_domain_path(7)", c.get_domain_path(7) == b"/local/domain/7",
              c.get_domain_path(7))

        # ---- watches --------------------------------------------------
        mon = c.monitor()
        mon.watch(p(b"w"), b"tok")
        ev = next_event(mon)
        check("watch: initial event on registration",
              ev == (p(b"w"), b"tok"), ev)
        other.write(p(b"w/x"), b"v")
        ev = next_event(mon)
        check("watch: event for a write below the watched path",
              ev == (p(b"w/x"), b"tok"), ev)
        other.write(p(b"unrelated"), b"v")
        other.delete(p(b"w"))
        ev = next_event(mon)
        check("watch: rm event (no event for an unrelated write)",
              ev == (p(b"w"), b"tok"), ev)
        ev = next_event(mon, 0.3)
        check("watch: nothing more", ev is None, ev)
        mon.unwatch(p(b"w"), b"tok")
        other.write(p(b"w/y"), b"v")
        ev = next_event(mon, 0.5)
        check("watch: no event after unwatch", ev is None, ev)
        other.delete(p(b"w"))

        # ---- transactions ---------------------------------------------
        c.transaction()
        c.write(p(b"t1"), b"in-tx")
        check("tx: own write visible inside", c.read(p(b"t1")) == b"in-tx",
              c.read(p(b"t1"), b"?"))
        check("tx: write invisible outside before commit",
              not other.exists(p(b"t1")))
        check("tx: commit", c.commit() is True)
        check("tx: committed value visible outside",
              other.read(p(b"t1"), b"?") == b"in-tx",
              other.read(p(b"t1"), b"?"))

        c.transaction()
        c.write(p(b"t2"), b"rolled back")
        c.delete(p(b"t1"))
        check("tx: rm visible inside", not c.exists(p(b"t1")))
        c.rollback()
        check("tx: rollback discards the write", not c.exists(p(b"t2")))
        check("tx: rollback discards the rm", c.exists(p(b"t1")))

        # conflict: tx reads /k, another client writes /k, tx writes /k
        c.write(p(b"k"), b"0")
        c.transaction()
        val = c.read(p(b"k"))
        other.write(p(b"k"), b"concurrent")
        c.write(p(b"k"), val + b"+1")
        ok = c.commit()   # pyxs turns EAGAIN (and only EAGAIN) into False
        check("tx: conflicting commit fails (commit() -> False)",
              ok is False, ok)
        check("tx: conflicting commit left the other write",
              c.read(p(b"k")) == b"concurrent", c.read(p(b"k"), b"?"))

        # the same conflict, TRANSACTION_END sent directly: PyXSError EAGAIN
        c.transaction()
        val = c.read(p(b"k"))
        other.write(p(b"k"), b"concurrent2")
        c.write(p(b"k"), val + b"+1")
        try:
            c.ack(Op.TRANSACTION_END, b"T" + NUL)
            err = None
        except pyxs.PyXSError as e:
            err = e.args[0] if e.args else e
        finally:
            c.tx_id = 0
        check("tx: conflicting commit -> PyXSError EAGAIN",
              err == errno.EAGAIN, err)
        check("tx: value after failed commit",
              c.read(p(b"k")) == b"concurrent2", c.read(p(b"k"), b"?"))

        # no conflict: tx reads /x, another client writes an unrelated /y
        c.write(p(b"x"), b"x0")
        c.write(p(b"y"), b"y0")
        c.transaction()
        c.read(p(b"x"))
        other.write(p(b"y"), b"y1")
        c.write(p(b"z"), b"z-from-tx")
        check("tx: non-conflicting commit succeeds", c.commit() is True)
        check("tx: non-conflicting commit applied",
              other.read(p(b"z"), b"?") == b"z-from-tx" and
              other.read(p(b"y"), b"?") == b"y1",
              (other.read(p(b"z"), b"?"), other.read(p(b"y"), b"?")))

        # ---- cleanup --------------------------------------------------
        c.delete(BASE)
        check("cleanup", not c.exists(BASE))


try:
    run()
except Exception:  # an unexpected error is a failure too
    failures += 1
    print("FAIL unexpected exception:")
    traceback.print_exc(file=sys.stdout)

print("pyxs_check: %s (%d failure(s))" % ("PASS" if failures == 0 else "FAIL",
                                          failures))
sys.exit(1 if failures else 0)
