package org.jxenstored.persist;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jxenstored.domain.Domains;
import org.jxenstored.migration.MigrationWriter;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Persistence;
import org.jxenstored.server.Server;
import org.jxenstored.store.Node;
import org.jxenstored.store.TreeDiff;
import org.jxenstored.transport.ring.RingConnection;
import org.jxenstored.watch.Watch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the daemon's state continuously (crash restart): at the end of every batch of work, before its replies and
 * events leave, what the batch changed is appended to the journal as one checksummed frame (one {@code writev}):
 * the tree's changes ({@link TreeDiff} against the version last kept), the watches and transactions of domains'
 * connections, their ring traffic, and the domain table when it changed. When the journal has grown past the last
 * snapshot's size (16 MiB at least), a new snapshot is written in the background from the immutable tree, and a new
 * journal starts. Store thread only, except the snapshot writer.
 */
public final class Durability implements Persistence, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Durability.class);
    /** The default journal size that triggers a snapshot. */
    public static final long MIN_COMPACT_BYTES = 16L << 20;
    private static final int SNAPSHOT_FRAME = 1 << 20;
    /** How long the snapshot writer's thread waits for the next snapshot before it ends. */
    static final long SNAPSHOT_THREAD_IDLE_SECONDS = 5;
    /** How long after a restart ring requests are served one at a time with a record each (quarantine). */
    static final long CAREFUL_NANOS = 5_000_000_000L;

    private final StateDir dir;
    private final Server server;
    private final Domains domains;
    private final RecordBuffer batch = new RecordBuffer(64 * 1024);
    private final Set<RingConnection> touched = new LinkedHashSet<>();
    private JournalFile journal;
    private long generation;
    private Node lastRoot;
    /** The journal size beyond which a new snapshot is written (at least; the last snapshot's size if larger). */
    private final long minCompact;
    private volatile long compactAt;
    private ExecutorService snapshotWriter;
    private Future<?> snapshotting;
    private long carefulUntil = Long.MIN_VALUE;
    private boolean failed;
    private long retryAt;
    private static final long RETRY_NANOS = 60_000_000_000L;

    private Durability(StateDir dir, Server server, Domains domains, long minCompact) {
        this.minCompact = minCompact;
        this.compactAt = minCompact;
        this.dir = dir;
        this.server = server;
        this.domains = domains;
    }

    /**
     * Starts keeping the state in a fresh generation after {@code generation}: a snapshot of the state as it is
     * (written now, it is small at start) and a new journal. Store thread.
     */
    static Durability fresh(StateDir dir, Server server, Domains domains, long generation, long minCompact)
            throws IOException {
        Durability d = new Durability(dir, server, domains, minCompact);
        d.generation = generation;
        d.lastRoot = server.store().live().root();
        try {
            d.rotate(false);
        } catch (IOException | InternalError e) {
            // no room (a full /run): serve anyway, and try again later, rather than leave the host without xenstored
            d.fail("cannot start keeping the state in " + dir.dir, e instanceof IOException ? (IOException) e
                    : new IOException(e.toString(), e));
        }
        return d;
    }

    /**
     * Continues a recovered state: appends to its last journal after the valid frames; {@code root} is the tree the
     * recovery restored (what the journal's records lead to).
     */
    static Durability resume(StateDir dir, Server server, Domains domains, long generation, long validEnd, Node root,
            long minCompact) throws IOException {
        Durability d = new Durability(dir, server, domains, minCompact);
        d.generation = generation;
        d.lastRoot = root;
        d.journal = JournalFile.append(dir.journal(generation), validEnd);
        d.carefulUntil = System.nanoTime() + CAREFUL_NANOS;
        return d;
    }

    @Override
    public void commit() {
        if (failed && !retried()) {
            return;
        }
        Node root = server.store().live().root();
        if (root != lastRoot) {
            Records.treeChanges(batch, lastRoot, root, server.store().stamps().last());
            lastRoot = root;
        }
        for (RingConnection c : touched) {
            if (!c.isClosed()) {
                Records.ring(batch, c.domid(), c.captureState());
            }
        }
        touched.clear();
        if (batch.isEmpty()) {
            return;
        }
        try {
            journal.append(batch.contents());
        } catch (IOException e) {
            fail("cannot append to the journal " + dir.journal(generation), e);
            return;
        } catch (InternalError e) {
            // a store into the mapping that the file system could not back (tmpfs full: SIGBUS, which the JVM turns
            // into this error for mapped buffers)
            fail("cannot append to the journal " + dir.journal(generation), new IOException(e.getMessage(), e));
            return;
        } finally {
            batch.clear();
        }
        if (journal.size() > compactAt && (snapshotting == null || snapshotting.isDone())) {
            try {
                rotate(true);
            } catch (IOException e) {
                fail("cannot start a new journal in " + dir.dir, e);
            }
        }
    }

    /**
     * Nothing can be kept any more (tmpfs full, directory gone): stop keeping, and remove what is kept, since a
     * restart from it would lose acknowledged changes without saying so. The daemon serves on; a crash from now on
     * loses the store, as with any other xenstored.
     */
    private void fail(String what, IOException e) {
        failed = true;
        retryAt = System.nanoTime() + RETRY_NANOS;
        touched.clear();
        batch.clear();
        LOG.error("{}: {}; the state is no longer kept, and a crash would now lose the store: free space in {} (the"
                + " daemon tries again every minute)", what, e.getMessage(), dir.dir);
        try {
            if (journal != null) {
                journal.close();
            }
        } catch (IOException | InternalError ignored) {
            // gone with the rest
        }
        try {
            dir.clear();
        } catch (IOException ignored) {
            // nothing more can be done about it
        }
    }

    /**
     * After a failure, once a minute: keeping starts again from a snapshot of the state as it is now (written at
     * once, so that the state is complete when this returns true).
     */
    private boolean retried() {
        if (System.nanoTime() - retryAt < 0) {
            return false;
        }
        try {
            journal = null;
            lastRoot = server.store().live().root();
            rotate(false);
            failed = false;
            LOG.info("the state is kept again in {}", dir.dir);
            return true;
        } catch (IOException | RuntimeException | InternalError e) {
            fail("cannot keep the state again", e instanceof IOException ? (IOException) e
                    : new IOException(e.toString(), e));
            return false;
        }
    }

    /** Whether the state is being kept (no write failed). */
    public boolean keeping() {
        return !failed;
    }

    @Override
    public void watchAdded(Connection c, Watch w) {
        Records.watchAdd(batch, c.domid(), w.path(), w.token(), w.depth(), w.relativePrefix());
    }

    @Override
    public void watchRemoved(Connection c, Watch w) {
        Records.watchDel(batch, c.domid(), w.path(), w.token());
    }

    @Override
    public void transactionStarted(Connection c, int id) {
        Records.transaction(batch, true, c.domid(), id);
    }

    @Override
    public void transactionEnded(Connection c, int id) {
        Records.transaction(batch, false, c.domid(), id);
    }

    @Override
    public void connectionReset(Connection c) {
        Records.reset(batch, c.domid());
        ioChanged(c);
    }

    @Override
    public void ioChanged(Connection c) {
        if (c instanceof RingConnection) {
            touched.add((RingConnection) c);
        }
    }

    @Override
    public void domainStateChanged() {
        encodeDomains(batch);
    }

    @Override
    public void serving(Connection c, int inputPosition) {
        if (carefulUntil != Long.MIN_VALUE) {
            if (System.nanoTime() - carefulUntil < 0) {
                Records.serving(batch, c.domid(), inputPosition);
                commit();
            } else {
                carefulUntil = Long.MIN_VALUE;
            }
        }
    }

    /** Notes a ring request found being served at a crash (see {@link Records#SUSPECT}). */
    void suspect(int domid, int position) {
        Records.suspect(batch, domid, position);
    }

    private void encodeDomains(RecordBuffer b) {
        DomainStateRecord.encode(b, server, domains);
    }

    /**
     * Starts generation {@code generation + 1}: captures the state now (the tree is immutable: its root; the rest is
     * small and encoded here), opens the new journal, and writes the snapshot, in the background or now.
     */
    private void rotate(boolean background) throws IOException {
        long gen = generation + 1;
        StateImage image = StateImage.capture(server, DomainStateRecord.encode(server, domains), null);
        JournalFile next = JournalFile.create(dir.journal(gen), dir.bootId, gen);
        if (journal != null) {
            journal.close();
        }
        journal = next;
        generation = gen;
        if (!background) {
            finishSnapshot(gen, image); // fails with the caller: a state without its snapshot is not kept
            return;
        }
        if (snapshotWriter == null) {
            // one thread while snapshots are written, none at rest (a Dom0 daemon keeps few threads)
            ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, SNAPSHOT_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "jxenstored-snapshot");
                        t.setDaemon(true);
                        return t;
                    });
            writer.allowCoreThreadTimeOut(true);
            snapshotWriter = writer;
        }
        snapshotting = snapshotWriter.submit(() -> {
            try {
                finishSnapshot(gen, image);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot write snapshot {}: {}; the journal keeps growing until one can be written",
                        dir.snapshot(gen), e.toString());
            }
        });
    }

    private void finishSnapshot(long gen, StateImage image) throws IOException {
        long size = writeSnapshot(gen, image);
        compactAt = Math.max(minCompact, size / 2); // bounds the journal a restart replays
        dir.dropBefore(gen);
    }

    /** Writes snapshot {@code gen} as a migration stream (as .tmp, then renamed); returns its size. */
    private long writeSnapshot(long gen, StateImage image) throws IOException {
        long t0 = System.nanoTime();
        try (MigrationWriter out = MigrationWriter.to(dir.snapshotTmp(gen), MigrationWriter.Options.v2())) {
            StateStream.write(image, out, dir.bootId, -1, -1, true);
        }
        long size = Files.size(dir.snapshotTmp(gen));
        Files.move(dir.snapshotTmp(gen), dir.snapshot(gen), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        LOG.debug("snapshot {} written: {} bytes in {} ms", gen, size, (System.nanoTime() - t0) / 1_000_000);
        return size;
    }

    /** Waits for a snapshot being written (tests, orderly stop). */
    public void awaitSnapshot() throws Exception {
        Future<?> s = snapshotting;
        if (s != null) {
            s.get();
        }
    }

    @Override
    public void close() throws IOException {
        if (snapshotWriter != null) {
            snapshotWriter.shutdown();
        }
        if (journal != null) {
            journal.close();
        }
    }
}
