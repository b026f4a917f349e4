package org.jxenstored.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;
import org.junit.jupiter.api.Test;

class TransactionTest {
    private final Store store = new Store();
    private final Caller dom0 = new TestCaller(0, true);
    private final List<String> events = new ArrayList<>();
    private final ChangeSink sink = new ChangeSink() {
        @Override
        public void changed(String path, Node node, Perms oldPerms) {
            events.add("changed " + path);
        }

        @Override
        public void removed(String path, Node subtree) {
            events.add("removed " + path);
        }
    };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void liveWrite(String path, String value) {
        Editor.write(store.live(), dom0, path, b(value), ChangeSink.NONE);
    }

    private static void assertEagain(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(XsException.class,
                e -> assertThat(e.error()).isEqualTo(XsError.EAGAIN));
    }

    @Test
    void whatASnapshotKeepsAliveGrowsWithEveryKindOfLiveChangeAndWithCommits() {
        liveWrite("/a/b", "v".repeat(100));
        Transaction tx = store.begin(1);
        assertThat(tx.keptAlive(store.retiredBytes())).isZero();
        long before = store.retiredBytes();
        liveWrite("/a/b", "w");
        long afterOverwrite = store.retiredBytes();
        assertThat(afterOverwrite - before).as("the old value and its copied ancestors").isGreaterThan(100);
        liveWrite("/a/c", "new");
        long afterCreate = store.retiredBytes();
        assertThat(afterCreate).isGreaterThan(afterOverwrite);
        Editor.setPerms(store.live(), dom0, "/a/c", Perms.of(0, Perms.READ), ChangeSink.NONE);
        long afterPerms = store.retiredBytes();
        assertThat(afterPerms).isGreaterThan(afterCreate);
        Editor.remove(store.live(), dom0, "/a", ChangeSink.NONE);
        long afterRemove = store.retiredBytes();
        assertThat(afterRemove).isGreaterThan(afterPerms);

        Transaction other = store.begin(2);
        other.apply(new Mutation.Write("/x", b("y".repeat(50))), dom0);
        other.apply(new Mutation.Write("/x", b("z")), dom0);
        store.commit(other, dom0, ChangeSink.NONE);
        assertThat(store.retiredBytes()).as("a commit's replay counts as live changes").isGreaterThan(afterRemove + 50);
        assertThat(tx.keptAlive(store.retiredBytes())).isEqualTo(store.retiredBytes() - before);
    }

    @Test
    void aTransactionThatGaveUpItsSnapshotContinuesOnTheLiveTreeButCannotCommit() {
        liveWrite("/k", "old");
        Transaction tx = store.begin(1);
        tx.recordRead("/k");
        tx.apply(new Mutation.Write("/mine", b("x")), dom0);
        liveWrite("/k", "new");
        store.giveUpSnapshot(tx);
        assertThat(tx.doomed()).isTrue();
        assertThat(tx.heldBytes()).as("its logged changes are gone").isZero();
        assertThat(tx.footprint()).as("what it touched still counts").isEqualTo(2);
        assertThat(tx.keptAlive(store.retiredBytes())).isZero();
        assertThat(tx.view().get("/k").value()).isEqualTo(b("new"));
        assertThat(tx.view().get("/mine")).isNull();
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/mine")).isNull();
    }

    @Test
    void seesItsSnapshotAndItsOwnWrites() {
        liveWrite("/k", "before");
        Transaction tx = store.begin(1);
        liveWrite("/k", "after");
        assertThat(tx.view().get("/k").value()).isEqualTo(b("before"));
        tx.apply(new Mutation.Write("/mine", b("x")), dom0);
        assertThat(tx.view().get("/mine").value()).isEqualTo(b("x"));
        assertThat(store.live().get("/mine")).isNull();
    }

    @Test
    void commitConflictsWhenAReadNodeChanged() {
        liveWrite("/k", "1");
        Transaction tx = store.begin(1);
        tx.recordRead("/k");
        tx.apply(new Mutation.Write("/k", b("2")), dom0);
        liveWrite("/k", "3");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/k").value()).isEqualTo(b("3"));
        assertThat(events).isEmpty();
    }

    @Test
    void unrelatedWritesDoNotConflict() {
        liveWrite("/k", "1");
        Transaction tx = store.begin(1);
        tx.recordRead("/k");
        tx.apply(new Mutation.Write("/k", b("2")), dom0);
        liveWrite("/other", "x");
        liveWrite("/k2", "y");
        store.commit(tx, dom0, sink);
        assertThat(store.live().get("/k").value()).isEqualTo(b("2"));
        assertThat(store.live().get("/other").value()).isEqualTo(b("x"));
        assertThat(events).containsExactly("changed /k");
    }

    @Test
    void writesWithoutReadsReplayOverConcurrentSiblings() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/dir/b", b("tx")), dom0);
        liveWrite("/dir/c", "live");
        store.commit(tx, dom0, sink);
        assertThat(new String(store.live().get("/dir").childNamesInOrder(), StandardCharsets.US_ASCII))
                .isEqualTo("a\0c\0b\0");
    }

    @Test
    void listingConflictsWithANewChild() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.recordRead("/dir");
        tx.apply(new Mutation.Write("/count", b("1")), dom0);
        liveWrite("/dir/b", "");
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    @Test
    void readingAMissingNodeConflictsWithItsCreation() {
        Transaction tx = store.begin(1);
        tx.recordRead("/missing");
        tx.apply(new Mutation.Write("/flag", b("1")), dom0);
        liveWrite("/missing", "now here");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/flag")).isNull();
    }

    @Test
    void replayThatNoLongerWorksConflictsAndChangesNothing() {
        liveWrite("/p/q", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/x", b("1")), dom0);
        tx.apply(new Mutation.Remove("/p/q/r"), dom0); // fine: parent /p/q exists in the snapshot
        Editor.remove(store.live(), dom0, "/p", ChangeSink.NONE);
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/x")).as("all or nothing").isNull();
    }

    @Test
    void commitReportsEventsInOrder() {
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/a", b("1")), dom0);
        tx.apply(new Mutation.Mkdir("/b"), dom0);
        tx.apply(new Mutation.Remove("/tool"), dom0);
        assertThat(events).isEmpty();
        store.commit(tx, dom0, sink);
        assertThat(events).containsExactly("changed /a", "changed /b", "removed /tool");
    }

}
