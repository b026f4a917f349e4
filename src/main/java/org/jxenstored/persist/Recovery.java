package org.jxenstored.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jxenstored.domain.Domains;
import org.jxenstored.migration.MigrationReader;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.transport.ring.RingConnection;
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
        createPrivateDirectory(dirPath);
        StateDir dir = new StateDir(dirPath, bootId);
        dir.dropUnfinished();
        java.util.Optional<Path> dump = dir.handedOver();
        if (dump.isPresent()) {
            if (Files.exists(dump.get())) {
                LOG.warn("the state was handed to a live update's successor that did not take it over ({} is still"
                        + " there): restoring it", dump.get());
            } else {
                LOG.warn("the state kept in {} was handed to a live update's successor (C xenstored, or a jxenstored"
                        + " that died before keeping its own), which took it over and is gone: what it served since"
                        + " is not here, so the store starts empty (as after C xenstored's death)", dirPath);
                dir.clear();
            }
            dir.clearHandedOver();
        }
        long t0 = System.nanoTime();
        Loaded loaded;
        try (HeapGrowth g = HeapGrowth.generous()) {
            loaded = load(dir);
        }
        if (loaded == null) {
            long last = dir.lastGeneration();
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

    /**
     * Starts keeping the state afresh after a live update: the successor's state came in the hand-over, so what the
     * directory held is replaced by a snapshot of it. Store thread.
     */
    public static Durability keepAfterLiveUpdate(Path dirPath, String bootId, Server server, Domains domains,
            long compactBytes, List<RingConnection> restored) throws IOException {
        createPrivateDirectory(dirPath);
        StateDir dir = new StateDir(dirPath, bootId);
        long last = dir.lastGeneration();
        dir.clear();
        dir.clearHandedOver();
        Durability d = Durability.fresh(dir, server, domains, last, compactBytes);
        server.setPersistence(d);
        restored.forEach(d::ioChanged);
        d.domainStateChanged();
        return d;
    }

    /**
     * A live update hands the state over to a successor (C xenstored or jxenstored) through {@code dump}: noted in
     * the directory, so that a daemon started later knows whether what is kept here is still the newest state (the
     * successor never took it: the dump is still there) or not (the successor read and removed the dump, served,
     * and died: C keeps no state here, and what it served since is not in it). Store thread, before exec.
     */
    public static void markHandedOver(Path dirPath, Path dump) throws IOException {
        new StateDir(dirPath, "").markHandedOver(dump);
    }

    /** The live update did not happen: the kept state is the daemon's own again. */
    public static void clearHandedOver(Path dirPath) throws IOException {
        new StateDir(dirPath, "").clearHandedOver();
    }

    /** The state directory, created 0700 if missing: the state holds every node, whatever its permissions. */
    private static void createPrivateDirectory(Path dirPath) throws IOException {
        if (!Files.isDirectory(dirPath)) {
            Files.createDirectories(dirPath.toAbsolutePath().getParent());
            Files.createDirectory(dirPath,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
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
        TakeOver.restoreStore(m, server);
        Durability d;
        if (loaded.validEnd >= 0) {
            d = Durability.resume(dir, server, domains, loaded.generation, loaded.validEnd, m.tree.root(),
                    compactBytes);
        } else {
            d = Durability.fresh(dir, server, domains, loaded.generation, compactBytes); // no journal yet
        }
        TakeOver rings = TakeOver.rings(m, server, domains);
        server.setPersistence(d);
        for (RingConnection rc : rings.restored) {
            d.ioChanged(rc);
        }
        d.domainStateChanged();
        rings.suspects.forEach(d::suspect);
        // events queued but not delivered at the crash are unknowable: one event per watch is safe by protocol
        for (Watch w : rings.watches) {
            ((Connection) w.owner()).sendEvent(w.eventPayload(w.path()));
        }
        domains.recheck();
        domains.pumpAll();
        server.flushPending();
        return d;
    }
}
