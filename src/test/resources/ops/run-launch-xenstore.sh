#!/bin/bash
# Runs Xen's real /etc/xen/scripts/launch-xenstore, unmodified, with XENSTORED pointing at jxenstored, in a private
# mount namespace so that the host's /etc/default and /run stay untouched:
#   /etc/default  a tmpfs holding only the xencommons written here (XENSTORED=$1, XENSTORED_ARGS=$2,
#                 XENSTORED_MAX_OPEN_FDS=the hard limit)
#   /run          a tmpfs (launch-xenstore creates /var/run/xen and waits for /var/run/xen/xenstored.pid there)
# Prints launch-xenstore's output, then "launch-xenstore rc=N" and "pid=N" (the pid file it waited for).
# The daemon keeps running in the namespace after this script ends; its socket is wherever XENSTORED_PATH says.
set -u
launcher=$1
args=$2
exec unshare -m --propagation private bash -c '
    set -u
    mount -t tmpfs tmpfs /etc/default || exit 90
    mount -t tmpfs tmpfs /run || exit 91
    # XENSTORED_MAX_OPEN_FDS: launch-xenstore raises the limit to fs.nr_open by default, which a container
    # without CAP_SYS_RESOURCE may not do; the current hard limit is what it may use.
    printf "XENSTORED=%s\nXENSTORED_ARGS=\"%s\"\nXENSTORED_MAX_OPEN_FDS=%s\n" "$0" "$1" "$(ulimit -Hn)" \
        > /etc/default/xencommons
    /etc/xen/scripts/launch-xenstore
    echo "launch-xenstore rc=$?"
    echo "pid=$(cat /var/run/xen/xenstored.pid 2>/dev/null)"
' "$launcher" "$args"
