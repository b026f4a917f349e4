#!/bin/bash
# Re-records the golden transcript cli-tools.txt that CliToolsIT compares
# jxenstored against: the same command sequence (it lives in CliToolsIT)
# run against a FRESH C xenstored (Debian 12, /usr/lib/xen-4.17/bin/xenstored
# from xen-utils-4.17) serving a private Unix socket.
#
#   src/test/resources/golden/record.sh            # start a fresh anchor, record, stop it
#   src/test/resources/golden/record.sh SOCKET     # use a C xenstored you just started
#
# The C daemon needs no hypervisor when run by the "anchors" kit (start.sh /
# stop.sh, an LD_PRELOAD shim faking the few libxenctrl/evtchn/gnttab calls;
# needs xen-utils-4.17 xenstore-utils libxen-dev gcc make).  Set ANCHORS to
# the kit's directory (it is not part of this repository); only recording
# needs it, and only without SOCKET; the test itself only reads cli-tools.txt.
#
# What was run for the committed file (as root, Debian 12; xen-utils-4.17,
# xenstore-utils and libxenstore4 all 4.17.7+13-g2445b30a44-0+deb12u1):
#   ANCHORS=<the anchors directory> src/test/resources/golden/record.sh
# (recorded twice: identical output).
# Review the diff (git diff src/test/resources/golden/) before committing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
OUT=$HERE/cli-tools.txt

if [ $# -ge 1 ]; then
	SOCK=$1
else
	if [ -z "${ANCHORS:-}" ] || [ ! -x "$ANCHORS/start.sh" ]; then
		echo "record.sh: set ANCHORS to the anchors directory (the kit with start.sh and stop.sh)," \
			"or give the socket of a C xenstored you started" >&2
		exit 2
	fi
	DIR=$(mktemp -d /tmp/jxs-golden.XXXXXX)   # short: Unix socket paths are limited
	"$ANCHORS/start.sh" cxenstored "$DIR"
	trap '"$ANCHORS/stop.sh" "$DIR"; rm -rf "$DIR"' EXIT
	SOCK=$DIR/socket
fi

# CliToolsIT in recording mode: runs the sequence against $SOCK, writes $OUT,
# and reports itself as skipped (aborted) instead of comparing.
rm -f "$OUT.new"
cd "$ROOT"
JXS_GOLDEN_RECORD_SOCKET=$SOCK JXS_GOLDEN_RECORD_OUT=$OUT.new \
	mvn -B -q test-compile failsafe:integration-test -Dit.test=CliToolsIT
[ -s "$OUT.new" ] || { echo "record.sh: nothing was recorded" >&2; exit 1; }
mv "$OUT.new" "$OUT"
echo "recorded $OUT from $SOCK ($(grep -c '^=== ' "$OUT") steps)"
