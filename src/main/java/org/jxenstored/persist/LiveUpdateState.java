package org.jxenstored.persist;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jxenstored.domain.Domains;
import org.jxenstored.migration.MigrationReader;
import org.jxenstored.migration.MigrationWriter;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.InheritedConnection;
import org.jxenstored.server.Server;
import org.jxenstored.transport.ring.RingConnection;

/**
 * A live update's hand-over of the whole state, as C xenstored does it ({@code $XENSTORED_RUNDIR/state_dump}, the
 * migration stream): the predecessor writes it just before exec ({@link #dump}), with the descriptors of its
 * listening socket and client sockets, which the successor inherits; the successor reads it ({@link #read}),
 * adopts the sockets, and takes everything over ({@link #apply}). The event channel device is inherited too, with
 * every guest's binding ({@link #eventChannels()}): nothing a guest sends during the update is lost.
 */
public final class LiveUpdateState {
    private final StateModel model;

    private LiveUpdateState(StateModel model) {
        this.model = model;
    }

    /**
     * Writes the state for a successor: stream version 1 unless {@code version} is 2 (v1 is what every C reader
     * accepts; depth-limited watches become plain ones there). The reply to {@code startRequest} ("OK") goes last in
     * {@code liveUpdateConnection}'s output: the successor sends it. {@code privateRecords}: jxenstored's own records
     * (stamps, ring indexes, domain table), for a jxenstored successor. Store thread.
     */
    public static void dump(Path file, int version, Server server, Domains domains, Connection liveUpdateConnection,
            XsMessage startRequest, int listeningFd, int evtchnFd, boolean privateRecords,
            Map<String, String> settings) throws IOException {
        XsMessage ok = XsMessage.reply(startRequest, XsType.CONTROL, Payload.nulTerminated("OK"));
        StateImage image = StateImage.capture(server, DomainStateRecord.encode(server, domains),
                new StateImage.Handover(liveUpdateConnection, ok));
        MigrationWriter.Options options = version >= 2 ? MigrationWriter.Options.v2() : MigrationWriter.Options.v1();
        try (MigrationWriter out = MigrationWriter.to(file, options)) {
            StateStream.write(image, out, null, listeningFd, evtchnFd, privateRecords, settings);
        }
    }

    /** Reads a state a predecessor wrote (jxenstored's, or C xenstored's: see {@link StateStream}). */
    public static LiveUpdateState read(Path file) throws IOException {
        StateModel model = new StateModel();
        StateStream.Reader r;
        try (HeapGrowth g = HeapGrowth.generous(); MigrationReader in = MigrationReader.from(file)) {
            r = StateStream.read(in, model);
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!r.ended()) {
            throw new IOException(file + " ends without an END record");
        }
        return new LiveUpdateState(model);
    }

    /** What was read (tests). */
    StateModel model() {
        return model;
    }

    /**
     * The predecessor's event channel device and the port it had bound for each domain's ring: jxenstored's and C's
     * streams name the local port in each ring connection record.
     */
    public Domains.Inherited eventChannels() {
        Map<Integer, Integer> ports = new java.util.LinkedHashMap<>();
        model.conns.forEach((domid, c) -> {
            if (c.localPort >= 0 && model.domains.containsKey(domid)) {
                ports.put(domid, c.localPort);
            }
        });
        return new Domains.Inherited(model.evtchnFd, ports);
    }

    /** The run-time settings of other layers the predecessor handed over (the access log's). */
    public Map<String, String> settings() {
        return Map.copyOf(model.settings);
    }

    /** The inherited listening socket's descriptor, or -1. */
    public int listeningFd() {
        return model.listeningFd;
    }

    /** The inherited client sockets' descriptors, in the stream's order. */
    public List<Integer> socketFds() {
        List<Integer> out = new ArrayList<>();
        model.sockets.values().forEach(s -> out.add(s.fd));
        return out;
    }

    /**
     * Takes the state over: the store, quotas, domains with their rings, and the inherited sockets ({@code adopted},
     * by descriptor) with their watches, transactions (doomed: their commits fail with EAGAIN) and pending bytes.
     * Nothing fires: what was queued travels in the connections' pending output. Store thread; the caller then
     * installs the persistence layer and lets the connections be read ({@link InheritedConnection#resume()}).
     *
     * @return the restored ring connections
     */
    public List<RingConnection> apply(Server server, Domains domains, Map<Integer, InheritedConnection> adopted) {
        TakeOver.restoreStore(model, server);
        TakeOver rings = TakeOver.rings(model, server, domains);
        for (StateModel.SocketConn s : model.sockets.values()) {
            InheritedConnection ic = adopted.get(s.fd);
            if (ic == null) {
                continue;
            }
            Connection c = ic.connection();
            for (StateModel.Watch w : s.conn.watches.values()) {
                server.restoreWatch(c, w.path(), w.token(), w.depth(), w.relativePrefix());
            }
            for (int id : s.conn.transactions) {
                server.restoreTransaction(c, id);
            }
            ic.send(s.outData);
            ic.received(s.inData);
        }
        return rings.restored;
    }
}
