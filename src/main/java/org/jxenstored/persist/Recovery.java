package org.jxenstored.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jxenstored.domain.DomainState;
import org.jxenstored.domain.Domains;
import org.jxenstored.migration.MigrationReader;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.SpecialNodes;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.transport.ring.RingState;
import org.jxenstored.watch.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back what a predecessor kept ({@link Durability}): the newest complete snapshot, then the journals after
 * it up to the first torn or corrupt frame (a write the predecessor did not finish: never acknowledged), applied to
 * a new server before it serves anything. Then every restored domain is taken over again, and from then on the
 * state is kept again.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What was read: the state, and where keeping it goes on. */
    static final class Loaded {
        final StateModel model;
        final long generation;
        final long validEnd;
        final int frames;
        final boolean torn;

        Loaded(StateModel model, long generation, long validEnd, int frames, boolean torn) {
            this.model = model;
            this.generation = generation;
            this.validEnd = validEnd;
            this.frames = frames;
            this.torn = torn;
        }
    }

    /** Thrown when kept state exists but cannot be read: the daemon must not serve an empty store over it. */
    public static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    private Recovery() {
    }

    /** This boot's id, which kept state must carry to be brought back. */
    public static String currentBootId() {
        return StateDir.currentBootId();
    }

    /**
     * Starts keeping the state in {@code dirPath} for {@code server}: brings back what is there from this boot (and
     * takes over its domains), or starts fresh. Store thread, before anything is served.
     *
     * @param compactBytes the journal size beyond which a new snapshot is written
     * @return the persistence layer to install, already installed in {@code server}
     * @throws Unreadable when state of this boot is there but corrupt
     */
    public static Durability start(Path dirPath, String bootId, Server server, Domains domains, long compactBytes)
            throws IOException {
        if (!Files.isDirectory(dirPath)) {
            Files.createDirectories(dirPath.toAbsolutePath().getParent());
            Files.createDirectory(dirPath,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        StateDir dir = new StateDir(dirPath, bootId);
        long t0 = System.nanoTime();
        Loaded loaded = load(dir);
        if (loaded == null) {
            long last = Math.max(dir.snapshots().isEmpty() ? 0 : dir.snapshots().last(),
                    dir.journals().isEmpty() ? 0 : dir.journals().last());
            dir.clear();
            Durability d = Durability.fresh(dir, server, domains, last, compactBytes);
            server.setPersistence(d);
            return d;
        }
        Durability d = apply(loaded, dir, server, domains, compactBytes);
        LOG.info("restored the state kept in {}: {} nodes, {} domains, {} journal frames{} in {} ms", dirPath,
                countNodes(server), loaded.model.domains.size(), loaded.frames,
                loaded.torn ? " (a torn last frame dropped: a change never acknowledged)" : "",
                (System.nanoTime() - t0) / 1_000_000);
        return d;
    }

    private static long countNodes(Server server) {
        long[] n = {0};
        server.store().usage().forEach((domid, u) -> n[0] += u[0]);
        return n[0];
    }

    /** Reads the kept state; null when there is none of this boot. */
    static Loaded load(StateDir dir) throws IOException {
        TreeSet<Long> snapshots = dir.snapshots();
        if (snapshots.isEmpty()) {
            return null;
        }
        long s = snapshots.last();
        StateModel model = new StateModel();
        StateStream.Reader snap;
        try (MigrationReader in = MigrationReader.from(dir.snapshot(s))) {
            snap = StateStream.read(in, model);
        } catch (IOException | RuntimeException e) {
            throw new Unreadable(dir.snapshot(s) + " cannot be read: " + e.getMessage());
        }
        if (!dir.bootId.equals(snap.bootId)) {
            LOG.info("the state in {} is from an earlier boot ({}): starting with a fresh store", dir.dir,
                    snap.bootId);
            return null;
        }
        if (!snap.ended() || model.globalQuotas == null) {
            throw new Unreadable(dir.snapshot(s) + " is incomplete");
        }
        long gen = s;
        long validEnd = -1;
        int frames = 0;
        boolean torn = false;
        List<Long> journals = new ArrayList<>(dir.journals().tailSet(s));
        for (long g : journals) {
            if (g != gen && g != gen + 1) {
                throw new Unreadable("journal " + g + " follows journal " + gen + " in " + dir.dir);
            }
            JournalFile.Contents j = JournalFile.read(dir.journal(g));
            if (j == null || !j.bootId().equals(dir.bootId)) {
                throw new Unreadable(dir.journal(g) + " is not a journal of this boot");
            }
            for (ByteBuffer f : j.frames()) {
                replay(f, model, dir.journal(g));
                frames++;
            }
            gen = g;
            validEnd = j.validEnd();
            if (j.torn()) {
                torn = true;
                break; // nothing can follow a write that did not finish
            }
        }
        return new Loaded(model, gen, validEnd, frames, torn);
    }

    private static boolean replay(ByteBuffer frame, StateModel model, Path file) throws Unreadable {
        try {
            return Records.replay(frame, model);
        } catch (RuntimeException e) {
            throw new Unreadable(file + ": a record cannot be applied: " + e.getMessage());
        }
    }

    /** Applies a read state to {@code server} and {@code domains}, installs the persistence layer, takes over. */
    private static Durability apply(Loaded loaded, StateDir dir, Server server, Domains domains, long compactBytes)
            throws IOException {
        StateModel m = loaded.model;
        server.restoreStore(m.tree.root(), Math.max(m.lastStamp, m.tree.lastStamp()));
        for (Map.Entry<String, Integer> q : m.globalQuotas.entrySet()) {
            QuotaKind.byWireName(q.getKey()).ifPresent(k -> server.limits().set(k, q.getValue()));
        }
        m.accounts.forEach((domid, values) -> {
            server.quotas().adopt(domid);
            values.forEach((name, v) -> QuotaKind.byWireName(name)
                    .ifPresent(k -> server.quotas().setDomainLimit(domid, k, v)));
        });
        server.specialNodes().setPerms(SpecialNodes.INTRODUCE_DOMAIN, m.introducePerms);
        server.specialNodes().setPerms(SpecialNodes.RELEASE_DOMAIN, m.releasePerms);
        Durability d;
        if (loaded.validEnd >= 0) {
            d = Durability.resume(dir, server, domains, loaded.generation, loaded.validEnd, m.tree.root(),
                    compactBytes);
        } else {
            d = Durability.fresh(dir, server, domains, loaded.generation, compactBytes); // no journal yet
        }
        List<RingConnection> restored = new ArrayList<>();
        Map<Integer, Integer> suspects = new java.util.HashMap<>();
        List<Watch> watches = new ArrayList<>();
        for (DomainState s : m.domains.values()) {
            RingConnection rc = domains.restore(s);
            StateModel.Conn cs = m.conns.get(s.domid());
            if (rc == null || cs == null) {
                continue;
            }
            for (StateModel.Watch w : cs.watches.values()) {
                watches.add(server.restoreWatch(rc, w.path(), w.token(), w.depth(), w.relativePrefix()));
            }
            for (int id : cs.transactions) {
                server.restoreTransaction(rc, id);
            }
            RingState ring = cs.ring == null || cs.ringIndexesKnown ? cs.ring
                    : new RingState(rc.page().reqCons(), cs.ring.inData(), rc.page().rspProd(), cs.ring.outData());
            if (ring != null && !rc.restoreState(ring)) {
                continue;
            }
            if (cs.serving != null && cs.serving.equals(cs.suspect)) {
                rc.quarantine(cs.serving);
                LOG.warn("domain {}: the request at input position {} was being served at the last two crashes: it"
                        + " will be refused with EIO", s.domid(), Integer.toUnsignedString(cs.serving));
            } else if (cs.serving != null) {
                suspects.put(s.domid(), cs.serving);
                LOG.warn("domain {}: the request at input position {} was being served when the daemon died; it is"
                        + " served again, and refused if that happens again", s.domid(),
                        Integer.toUnsignedString(cs.serving));
            }
            restored.add(rc);
        }
        server.setPersistence(d);
        for (RingConnection rc : restored) {
            d.ioChanged(rc);
        }
        d.domainStateChanged();
        suspects.forEach(d::suspect);
        // events queued but not delivered at the crash are unknowable: one event per watch is safe by protocol
        for (Watch w : watches) {
            ((org.jxenstored.server.Connection) w.owner()).sendEvent(w.eventPayload(w.path()));
        }
        domains.recheck();
        domains.pumpAll();
        server.flushPending();
        return d;
    }
}
