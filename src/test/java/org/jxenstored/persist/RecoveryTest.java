package org.jxenstored.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jxenstored.domain.DomainOptions;
import org.jxenstored.domain.Domains;
import org.jxenstored.server.Limits;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.store.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kept state's life: brought back by a later daemon of the same boot, ignored (and removed) by one of another
 * boot, a corrupt snapshot refused rather than served as an empty store, a torn journal tail dropped, files private.
 */
class RecoveryTest {
    @TempDir
    Path tmp;
    private Path dir;
    private ScheduledExecutorService thread;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("state");
        thread = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        thread.shutdownNow();
    }

    /** A daemon's server and domain layer (socket-only), with the state kept in {@link #dir} for {@code boot}. */
    private Server start(String boot) throws Exception {
        Server server = new Server(new Limits());
        Domains domains = new Domains(server, null, new DomainOptions());
        server.setDomains(domains);
        domains.start(thread);
        Recovery.start(dir, boot, server, domains, Durability.MIN_COMPACT_BYTES);
        return server;
    }

    private static void write(Server server, String path, String value) {
        server.store().live().write(path, value.getBytes(StandardCharsets.US_ASCII), 0, false);
        server.flushPending(); // the end of a batch: kept
    }

    private static String read(Server server, String path) {
        Node n = server.store().live().get(path);
        return n == null ? null : new String(n.value(), StandardCharsets.US_ASCII);
    }

    @Test
    void aDaemonOfTheSameBootBringsTheStateBackOneOfAnotherStartsFresh() throws Exception {
        Server first = start("boot-A");
        write(first, "/kept", "yes");
        first.limits().set(QuotaKind.NODES, 4321);
        first.persistence().domainStateChanged();
        first.flushPending();

        Server second = start("boot-A");
        assertThat(read(second, "/kept")).isEqualTo("yes");
        assertThat(second.limits().get(QuotaKind.NODES)).isEqualTo(4321);
        assertThat(second.store().live().get("/kept").generation())
                .isEqualTo(first.store().live().get("/kept").generation());
        write(second, "/later", "too");

        Server afterReboot = start("boot-B");
        assertThat(read(afterReboot, "/kept")).as("the state of another boot is not brought back").isNull();
        assertThat(read(afterReboot, "/tool/xenstored")).isEqualTo("");
        Server again = start("boot-B");
        assertThat(read(again, "/later")).as("and it is gone for good").isNull();
    }

    @Test
    void aTornJournalTailIsDroppedAndTheJournalGoesOnAfterIt() throws Exception {
        Server first = start("boot");
        write(first, "/a", "1");
        StateDir state = new StateDir(dir, "boot");
        Path journal = state.journal(state.journals().last());
        Files.write(journal, new byte[] {(byte) 200, 0, 0, 0, 1, 2, 3}, StandardOpenOption.APPEND);

        Server second = start("boot");
        assertThat(read(second, "/a")).isEqualTo("1");
        write(second, "/b", "2");
        Server third = start("boot");
        assertThat(read(third, "/a")).isEqualTo("1");
        assertThat(read(third, "/b")).as("written after the torn tail was cut").isEqualTo("2");
    }

    @Test
    void aCorruptSnapshotIsRefusedNotServedAsAnEmptyStore() throws Exception {
        start("boot");
        StateDir state = new StateDir(dir, "boot");
        Path snapshot = state.snapshot(state.snapshots().last());
        byte[] b = Files.readAllBytes(snapshot);
        Files.write(snapshot, java.util.Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> start("boot")).isInstanceOf(Recovery.Unreadable.class)
                .hasMessageContaining(snapshot.toString());
    }

    @Test
    void snapshotsAreWrittenOnAThreadThatEndsWhenIdle() throws Exception {
        Server server = new Server(new Limits());
        Domains domains = new Domains(server, null, new DomainOptions());
        server.setDomains(domains);
        domains.start(thread);
        Durability d = Recovery.start(dir, "boot", server, domains, 4096); // a snapshot after 4 KiB of journal
        for (int i = 0; i < 200; i++) {
            write(server, "/n" + i, "value " + i);
        }
        d.awaitSnapshot();
        StateDir state = new StateDir(dir, "boot");
        assertThat(state.snapshots().last()).as("a snapshot was written in the background").isGreaterThan(1L);
        long deadline = System.nanoTime() + (Durability.SNAPSHOT_THREAD_IDLE_SECONDS + 5) * 1_000_000_000L;
        while (snapshotThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(snapshotThreads()).as("no snapshot thread at rest").isZero();
        write(server, "/after", "rest");
        for (int i = 0; i < 200; i++) {
            write(server, "/m" + i, "value " + i);
        }
        d.awaitSnapshot(); // a new thread for the next one
        assertThat(read(start("boot"), "/m199")).isEqualTo("value 199");
    }

    private static long snapshotThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("jxenstored-snapshot"))
                .count();
    }

    @Test
    void theStateIsPrivate() throws Exception {
        write(start("boot"), "/secret", "x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString())
                            .isEqualTo("rw-------");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /**
     * A live update marks the kept state handed over. A daemon started later restores it only while the successor
     * never took it (the dump is still there: it failed to start); once taken (the dump read and removed: C
     * xenstored served from it, then died), the kept state is older than what was served, and the store starts
     * empty rather than bring back old data as if current.
     */
    @Test
    void stateHandedToALiveUpdateSuccessorIsRestoredOnlyIfTheSuccessorNeverTookIt() throws Exception {
        Server first = start("boot-A");
        write(first, "/kept", "yes");
        Path dump = tmp.resolve("state_dump");
        Files.writeString(dump, "a dump");
        Recovery.markHandedOver(dir, dump);

        Server notTaken = start("boot-A"); // the successor failed: the dump is still there
        assertThat(read(notTaken, "/kept")).isEqualTo("yes");
        assertThat(dir.resolve(StateDir.HANDED_OVER)).doesNotExist();

        Recovery.markHandedOver(dir, dump);
        Files.delete(dump); // taken over by the successor, which served and died
        Server afterSuccessorDied = start("boot-A");
        assertThat(read(afterSuccessorDied, "/kept")).as("not brought back as if current").isNull();
        assertThat(dir.resolve(StateDir.HANDED_OVER)).doesNotExist();
        write(afterSuccessorDied, "/new", "kept again");
        assertThat(read(start("boot-A"), "/new")).isEqualTo("kept again");

        Recovery.markHandedOver(dir, dump);
        Recovery.clearHandedOver(dir); // the update was abandoned: the state is the daemon's own
        assertThat(read(start("boot-A"), "/new")).isEqualTo("kept again");
    }
}
