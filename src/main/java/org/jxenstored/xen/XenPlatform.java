package org.jxenstored.xen;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

/**
 * Everything jxenstored needs from the hypervisor, behind one interface: event channels, the mapping of a domain's
 * xenstore ring page, domain state, and Dom0's own ring. Implementations: {@code xen.jna} (Xen's libraries and
 * devices, when {@code /dev/xen} exists) and {@code xen.sim} (in-process, for tests and the demo mode).
 */
public interface XenPlatform extends AutoCloseable {
    /** Grant reference of a domain's xenstore page ({@code GNTTAB_RESERVED_XENSTORE}). */
    int GNTTAB_RESERVED_XENSTORE = 1;
    /** {@code VIRQ_DOM_EXC}: a domain changed state (shut down, died). */
    int VIRQ_DOM_EXC = 3;

    /** A short description for the log ("Xen 4.17 via libxenevtchn/libxengnttab/libxenctrl", "simulated"). */
    String describe();

    /**
     * Opens the event channel device. Pending notifications are delivered to {@code onPending} (with the local
     * port) by running it on {@code storeThread}; the port is unmasked after the handler ran.
     */
    EventChannels openEventChannels(Executor storeThread, IntConsumer onPending) throws IOException;

    /**
     * Takes over an event channel device a live-update predecessor left open across exec ({@code xenevtchn_fdopen}):
     * every port it had bound stays bound, so nothing a guest sends meanwhile is lost. Delivery as
     * {@link #openEventChannels}.
     *
     * @throws IOException where descriptors cannot be adopted (simulated platforms: bind anew instead)
     */
    default EventChannels adoptEventChannels(int fd, Executor storeThread, IntConsumer onPending)
            throws IOException {
        throw new IOException("this platform cannot adopt an event channel device");
    }

    /**
     * The guest's end of an interdomain channel bound here at {@code localPort} ({@code xc_evtchn_status}): what a
     * restart binds to again. Empty where the platform cannot tell.
     */
    default OptionalInt remotePortOf(int localPort) {
        return OptionalInt.empty();
    }

    /**
     * Maps the xenstore ring page of {@code domid}: through the grant table (reference
     * {@link #GNTTAB_RESERVED_XENSTORE}), falling back to a foreign mapping of {@code gfn} where grants fail.
     */
    RingMapping mapRing(int domid, long gfn) throws IOException;

    /** The state of one domain, or empty when no such domain exists. */
    Optional<DomainInfo> domainInfo(int domid) throws IOException;

    /** The state of every existing domain (for VIRQ_DOM_EXC handling). */
    List<DomainInfo> listDomains() throws IOException;

    /** Dom0's own ring ({@code /proc/xen/xsd_kva} and {@code /proc/xen/xsd_port}) when this kernel offers one. */
    Optional<LocalRing> dom0Ring() throws IOException;

    @Override
    void close();

    /** Event channel operations. Ports are local port numbers. */
    interface EventChannels extends AutoCloseable {
        /** Binds to {@code remotePort} of {@code domid}; returns the local port. */
        int bindInterdomain(int domid, int remotePort) throws IOException;

        /** Binds a virtual IRQ (e.g. {@link #VIRQ_DOM_EXC}); returns the local port. */
        int bindVirq(int virq) throws IOException;

        void unbind(int localPort);

        /** Signals the other end of {@code localPort}. */
        void notify(int localPort);

        /**
         * The device's descriptor, for a live update's successor to inherit with every binding; -1 where there is
         * none to hand over (simulated platforms).
         */
        default int fd() {
            return -1;
        }

        /**
         * Stops delivering events (the bindings stay) and unmasks {@code ports}: a live update hands the device over
         * next, and a port reported but not yet unmasked would stay deaf in the successor (the Linux driver masks a
         * port when it reports it).
         */
        default void pauseForHandover(int[] ports) {
        }

        /** Delivers events again after a live update that did not happen. */
        default void resumeAfterHandover() {
        }

        @Override
        void close();
    }

    /** A mapped 4 KiB ring page: {@code xenstore_domain_interface}. */
    interface RingMapping extends AutoCloseable {
        /** The page, 4096 bytes, direct: shared memory with the guest. */
        java.nio.ByteBuffer page();

        /** Unmaps the page; the buffer must not be used afterwards. Idempotent. */
        @Override
        void close();
    }

    /** Dom0's ring as its kernel exposes it: the page and the remote event channel port to bind to. */
    record LocalRing(RingMapping mapping, int remotePort) {
    }

    /** What xenstored needs to know of a domain's state. */
    record DomainInfo(int domid, boolean dying, boolean shutdown, int shutdownReason) {
        /** Dead or dying: its connection, watches and nodes are to be cleaned up. */
        public boolean gone() {
            return dying;
        }
    }
}
