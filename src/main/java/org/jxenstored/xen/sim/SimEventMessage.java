package org.jxenstored.xen.sim;

/**
 * What one datagram of the shared-directory simulator says: a guest signalled its xenstore channel ({@code guest
 * DOMID PORT}, to the daemon), a virtual IRQ was raised ({@code virq VIRQ}, to the daemon), or the daemon signalled a
 * guest ({@code port PORT}, to that guest). Text, so that a test's failure message can show it.
 */
record SimEventMessage(Kind kind, int domid, int port) {
    enum Kind { GUEST, VIRQ, DAEMON }

    static SimEventMessage fromGuest(int domid, int port) {
        return new SimEventMessage(Kind.GUEST, domid, port);
    }

    static SimEventMessage virq(int virq) {
        return new SimEventMessage(Kind.VIRQ, -1, virq);
    }

    static SimEventMessage fromDaemon(int guestPort) {
        return new SimEventMessage(Kind.DAEMON, -1, guestPort);
    }

    String encode() {
        switch (kind) {
            case GUEST:
                return "guest " + domid + " " + port;
            case VIRQ:
                return "virq " + port;
            default:
                return "port " + port;
        }
    }

    /** @throws IllegalArgumentException for anything else */
    static SimEventMessage parse(String text) {
        String[] w = text.trim().split(" ");
        try {
            if (w.length == 3 && w[0].equals("guest")) {
                return fromGuest(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
            }
            if (w.length == 2 && w[0].equals("virq")) {
                return virq(Integer.parseInt(w[1]));
            }
            if (w.length == 2 && w[0].equals("port")) {
                return fromDaemon(Integer.parseInt(w[1]));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("not an event channel message: " + text);
    }
}
