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

        @Override
        public void gone(String path, Node node, boolean exact) {
            events.add((exact ? "gone exactly " : "gone ") + path);
        }
    };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void liveWrite(String path, String value) {
        Editor.write(store.live(), dom0, path, b(value), ChangeSink.NONE);
    }

    private String liveValue(String path) {
        Node n = store.live().get(path);
        return n == null ? null : new String(n.value(), StandardCharsets.US_ASCII);
    }

    private static void assertEagain(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(XsException.class,
                e -> assertThat(e.error()).isEqualTo(XsError.EAGAIN));
    }

    private void commitOther(String path, String value) {
        Transaction u = store.begin(99);
        u.apply(new Mutation.Write(path, b(value)), dom0);
        store.commit(u, dom0, ChangeSink.NONE);
    }

    // The lost updates of issue 12: a change made without reading the node first still conflicts (C: EAGAIN).

    @Test
    void aBlindWriteConflictsWithAPlainWriteOfTheSameNode() {
        liveWrite("/t/e", "3");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/t/e", b("4")), dom0);
        liveWrite("/t/e", "5");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(liveValue("/t/e")).isEqualTo("5");
    }

    @Test
    void aBlindWriteConflictsWithAnotherTransactionsCommit() {
        liveWrite("/t/e", "3");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/t/e", b("4")), dom0);
        commitOther("/t/e", "5");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(liveValue("/t/e")).isEqualTo("5");
    }

    @Test
    void creatingANodeConflictsWithItsCreationOutside() {
        liveWrite("/t/e", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/t/new", b("tx")), dom0);
        liveWrite("/t/new", "outside");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(liveValue("/t/new")).isEqualTo("outside");
    }

    @Test
    void aRemovalConflictsWithAWriteOfTheRemovedNode() {
        liveWrite("/t/x", "old");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Remove("/t/x"), dom0);
        liveWrite("/t/x", "y");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(liveValue("/t/x")).isEqualTo("y");
    }

    @Test
    void aRemovalConflictsWithANewChildOfTheRemovedNode() {
        liveWrite("/t/x", "old");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Remove("/t/x"), dom0);
        liveWrite("/t/x/child", "acknowledged");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(liveValue("/t/x/child")).isEqualTo("acknowledged");
    }

    @Test
    void aRemovalConflictsWithAChangeOfARemovedDescendant() {
        liveWrite("/t/x/a/b", "old");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Remove("/t/x"), dom0);
        liveWrite("/t/x/a/b", "new");
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    @Test
    void setPermsConflictsWithAWriteOfTheNode() {
        liveWrite("/t/e", "1");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.SetPerms("/t/e", Perms.of(0, Perms.READ)), dom0);
        liveWrite("/t/e", "2");
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/t/e").perms()).isEqualTo(Perms.DOM0_ONLY);
    }

    @Test
    void aFailedChangeStillCountsAsAnAccess() {
        Transaction tx = store.begin(1);
        Caller guest = new TestCaller(5, false);
        liveWrite("/locked", "x");
        assertThatThrownBy(() -> tx.apply(new Mutation.Write("/locked", b("y")), guest))
                .isInstanceOf(XsException.class);
        tx.apply(new Mutation.Write("/other", b("z")), dom0);
        liveWrite("/locked", "changed");
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    // First access, not start: nodes count as they are when the transaction first touches them.

    @Test
    void aChangeBeforeTheFirstAccessIsNoConflictAndIsSeen() {
        liveWrite("/k", "before");
        Transaction tx = store.begin(1);
        liveWrite("/k", "after");
        tx.read("/k");
        assertThat(tx.view().get("/k").value()).isEqualTo(b("after"));
        tx.apply(new Mutation.Write("/k", b("mine")), dom0);
        assertThat(tx.view().get("/k").value()).isEqualTo(b("mine"));
        assertThat(liveValue("/k")).isEqualTo("after");
        store.commit(tx, dom0, sink);
        assertThat(liveValue("/k")).isEqualTo("mine");
    }

    @Test
    void aFirstAccessAfterAnOutsideChangeSeesItEvenWithAViewBuilt() {
        liveWrite("/a", "1");
        liveWrite("/b", "1");
        Transaction tx = store.begin(1);
        tx.read("/a");
        tx.apply(new Mutation.Write("/mine", b("m")), dom0);
        assertThat(tx.view().get("/b").value()).isEqualTo(b("1"));
        liveWrite("/b", "2");
        tx.read("/b");
        assertThat(tx.view().get("/b").value()).as("the live node at first access").isEqualTo(b("2"));
        assertThat(tx.view().get("/mine").value()).as("its own changes survive the rebuild").isEqualTo(b("m"));
        store.commit(tx, dom0, sink);
        assertThat(liveValue("/mine")).isEqualTo("m");
    }

    @Test
    void changesToNodesNeverAccessedNeverFailTheCommit() {
        liveWrite("/k", "1");
        Transaction tx = store.begin(1);
        tx.read("/k");
        tx.apply(new Mutation.Write("/k", b("2")), dom0);
        for (int i = 0; i < 100; i++) {
            liveWrite("/other/n" + (i % 7), "x" + i);
            commitOther("/elsewhere", "y" + i);
        }
        store.commit(tx, dom0, sink);
        assertThat(liveValue("/k")).isEqualTo("2");
        assertThat(events).containsExactly("changed /k");
    }

    @Test
    void writesWithoutReadsMergeWithConcurrentSiblings() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/dir/b", b("tx")), dom0);
        liveWrite("/dir/c", "live");
        store.commit(tx, dom0, sink);
        assertThat(new String(store.live().get("/dir").childNamesInOrder(), StandardCharsets.US_ASCII))
                .isEqualTo("a\0c\0b\0");
    }

    @Test
    void aRemovalMergesWithAConcurrentSibling() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Remove("/dir/a"), dom0);
        liveWrite("/dir/c", "live");
        store.commit(tx, dom0, sink);
        assertThat(liveValue("/dir/a")).isNull();
        assertThat(liveValue("/dir/c")).isEqualTo("live");
    }

    @Test
    void aCreationConflictsWhenTheParentWasReplacedOrChangedPermissions() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/dir/b", b("tx")), dom0);
        Editor.remove(store.live(), dom0, "/dir", ChangeSink.NONE);
        liveWrite("/dir/a", "recreated");
        assertEagain(() -> store.commit(tx, dom0, sink));

        Transaction tx2 = store.begin(2);
        tx2.apply(new Mutation.Write("/dir/b", b("tx")), dom0);
        Editor.setPerms(store.live(), dom0, "/dir", Perms.of(0, Perms.READ), ChangeSink.NONE);
        assertEagain(() -> store.commit(tx2, dom0, sink));
        assertThat(liveValue("/dir/b")).isNull();
    }

    @Test
    void listingConflictsWithANewChild() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.read("/dir");
        tx.apply(new Mutation.Write("/count", b("1")), dom0);
        liveWrite("/dir/b", "");
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    @Test
    void listingAParentAfterCreatingAChildMakesItsChildListMatter() {
        liveWrite("/dir/a", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/dir/b", b("tx")), dom0);
        tx.read("/dir");
        liveWrite("/dir/c", "");
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    @Test
    void readingAMissingNodeConflictsWithItsCreation() {
        Transaction tx = store.begin(1);
        tx.read("/missing");
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
        tx.apply(new Mutation.Remove("/p/q/r"), dom0); // fine: parent /p/q exists
        Editor.remove(store.live(), dom0, "/p", ChangeSink.NONE);
        assertEagain(() -> store.commit(tx, dom0, sink));
        assertThat(store.live().get("/x")).as("all or nothing").isNull();
    }

    // The view: dropped at any time without losing anything; what it keeps alive.

    @Test
    void aDroppedViewIsRebuiltWithTheTransactionsChangesAndTheCommitIsUnaffected() {
        liveWrite("/k", "old");
        Transaction tx = store.begin(1);
        tx.read("/k");
        tx.apply(new Mutation.Write("/mine", b("x")), dom0);
        liveWrite("/unrelated", "churn");
        tx.dropView();
        assertThat(tx.keptAlive(store.retiredBytes())).isZero();
        assertThat(tx.view().get("/mine").value()).isEqualTo(b("x"));
        assertThat(tx.view().get("/unrelated").value()).isEqualTo(b("churn"));
        assertThat(tx.doomed()).isFalse();
        store.commit(tx, dom0, sink);
        assertThat(liveValue("/mine")).isEqualTo("x");
    }

    @Test
    void aRebuildThatNoLongerAppliesDoomsTheTransaction() {
        liveWrite("/p/q", "");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/p/q/r", b("1")), dom0);
        Editor.remove(store.live(), dom0, "/p", ChangeSink.NONE);
        tx.dropView();
        tx.view();
        assertEagain(() -> store.commit(tx, dom0, sink));
    }

    @Test
    void whatAViewKeepsAliveGrowsWithEveryKindOfLiveChangeAndWithCommits() {
        liveWrite("/a/b", "v".repeat(100));
        Transaction tx = store.begin(1);
        assertThat(tx.keptAlive(store.retiredBytes())).as("no view yet").isZero();
        tx.view();
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
    void theFootprintCountsDistinctAccessedNodesIncludingCreatedAncestorsAndRemovedDescendants() {
        liveWrite("/d/x/y", "");
        Transaction tx = store.begin(1);
        tx.read("/a");
        tx.read("/a");
        assertThat(tx.footprint()).isEqualTo(1);
        tx.apply(new Mutation.Write("/n/m/o", b("")), dom0);
        assertThat(tx.footprint()).as("/n/m/o, /n/m, /n and the parent /").isEqualTo(5);
        tx.apply(new Mutation.Remove("/d"), dom0);
        assertThat(tx.footprint()).as("/d, /d/x, /d/x/y").isEqualTo(8);
        Transaction limited = store.begin(2);
        limited.limitFootprint(2);
        limited.read("/a");
        assertThatThrownBy(() -> limited.apply(new Mutation.Write("/q/r", b("")), dom0))
                .isInstanceOfSatisfying(XsException.class, e -> assertThat(e.error()).isEqualTo(XsError.ENOSPC));
        assertThat(limited.footprint()).isEqualTo(1);
    }

    // The events of a commit: once per changed node, in the order of first access.

    @Test
    void commitReportsEventsInTheOrderOfFirstAccess() {
        liveWrite("/x/b", "0");
        Transaction tx = store.begin(1);
        tx.read("/x/b");
        tx.apply(new Mutation.Write("/x/a", b("1")), dom0);
        tx.apply(new Mutation.Write("/x/b", b("2")), dom0);
        tx.apply(new Mutation.Mkdir("/m"), dom0);
        tx.apply(new Mutation.Remove("/tool"), dom0);
        assertThat(events).isEmpty();
        store.commit(tx, dom0, sink);
        assertThat(events).containsExactly("changed /x/b", "changed /x/a", "changed /m", "gone /tool",
                "gone exactly /tool/xenstored");
    }

    @Test
    void removingANodeThenItsParentReportsEachNodeOnceAsC() {
        liveWrite("/a/b/c/state", "4");
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Remove("/a/b/c"), dom0);
        tx.apply(new Mutation.Remove("/a/b"), dom0);
        store.commit(tx, dom0, sink);
        assertThat(events).containsExactly("gone /a/b/c", "gone /a/b", "gone exactly /a/b/c/state");
    }

    @Test
    void aNodeCreatedAndRemovedInTheTransactionIsNotReported() {
        Transaction tx = store.begin(1);
        tx.apply(new Mutation.Write("/tmp/x", b("1")), dom0);
        tx.apply(new Mutation.Remove("/tmp/x"), dom0);
        tx.apply(new Mutation.Write("/kept", b("1")), dom0);
        store.commit(tx, dom0, sink);
        assertThat(events).as("as C: only the nodes named by a change fire").containsExactly("changed /kept");
    }
}
