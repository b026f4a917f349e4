#!/bin/bash
# Runs a command in a private mount namespace in which DIR is a fresh tmpfs mounted with OPTIONS ("ro": a
# read-only directory; "size=64k": a disk that fills up), for the operations tests; the host's mounts are not
# touched. Usage: run-with-mount.sh DIR OPTIONS COMMAND [ARG...]
# The namespace lives as long as a process in it: a daemon the command detached keeps it, and the test reaches
# the tmpfs through /proc/DAEMON_PID/root/DIR.
set -u
dir=$1
opts=$2
shift 2
# shellcheck disable=SC2016
exec unshare -m --propagation private bash -c 'mount -t tmpfs -o "$1" jxs-test "$0" || exit 90; shift; exec "$@"' \
    "$dir" "$opts" "$@"
