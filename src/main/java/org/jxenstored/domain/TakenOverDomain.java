package org.jxenstored.domain;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.jxenstored.store.Node;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Tree;
import org.jxenstored.xen.XenPlatform;

/**
 * What C xenstored's live-update stream does not say of a domain it hands over, and a restart needs: the guest's end
 * of its xenstore event channel (to bind again after a crash) and its ring's frame (the fallback when grant mapping
 * fails). Xen says the first ({@code xc_evtchn_status} of the local port C bound); the toolstack wrote both into the
 * guest's home ({@code store/port}, {@code store/ring-ref}, as libxl does).
 */
final class TakenOverDomain {
    private TakenOverDomain() {
    }

    /** The guest's port, or -1 when neither Xen nor the toolstack says. */
    static int remotePort(XenPlatform platform, Tree live, int domid, int localPort) {
        OptionalInt remote = platform.remotePortOf(localPort);
        return remote.isPresent() ? remote.getAsInt() : (int) number(live, Paths.domainPath(domid) + "/store/port");
    }

    /** The ring's frame, or -1. */
    static long ringFrame(Tree live, int domid) {
        return number(live, Paths.domainPath(domid) + "/store/ring-ref");
    }

    /** A decimal number the toolstack wrote, or -1. */
    private static long number(Tree live, String path) {
        Node n = live.get(path);
        if (n == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(n.value(), StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
