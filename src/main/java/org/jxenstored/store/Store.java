package org.jxenstored.store;

import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;

/** The live tree and the transactions against it. Store thread only. */
public final class Store {
    private final Stamps stamps = new Stamps();
    private final Tree live;
    private final Usage usage;
    private final Quota quota;

    public Store() {
        this(Quota.NONE);
    }

    /** @param quota the per-domain limits every change is checked against */
    public Store(Quota quota) {
        Node root = Tree.initialRoot(stamps);
        this.usage = Usage.recount(root);
        this.quota = quota;
        this.live = new Tree(root, stamps, usage, quota);
    }

    /** What each domain owns in the live tree. */
    public Usage usage() {
        return usage;
    }

    /** The live tree, for requests outside transactions. */
    public Tree live() {
        return live;
    }

    public Stamps stamps() {
        return stamps;
    }

    /**
     * Replaces the live tree by a restored one (crash restart, live update): {@code lastStamp} is the highest stamp
     * it holds, so that later changes are stamped after it; the accounting is recounted.
     */
    public void restore(Node root, long lastStamp) {
        live.setRoot(root);
        stamps.advanceTo(lastStamp);
        usage.recountFrom(root);
    }

    /** Starts a transaction; {@code id} is the caller's (per connection, as C). */
    public Transaction begin(int id) {
        return new Transaction(id, this);
    }

    /** A private view of the tree rooted at {@code root}, for a transaction. */
    Tree newView(Node root) {
        return new Tree(root, stamps, DeltaLedger.forTransaction(usage), quota);
    }

    /** Estimated bytes of node versions the live tree has replaced so far (see {@link Tree#retiredBytes()}). */
    public long retiredBytes() {
        return live.retiredBytes();
    }

    /**
     * Commits: EAGAIN unless every node the transaction accessed is still as it was at its first access (see
     * {@link Transaction}). Then its changes are replayed on the live tree with the same checks as outside a
     * transaction; if any now fails the commit is EAGAIN and nothing changes. Otherwise the changes become live at
     * once and are reported to {@code sink}, once per changed node in the order of first access (events of a
     * transaction go out only here).
     */
    public void commit(Transaction tx, Caller caller, ChangeSink sink) {
        Node current = live.root();
        if (tx.doomed() || !tx.unchangedIn(current)) {
            throw XsError.EAGAIN.exception();
        }
        if (tx.log().isEmpty()) {
            return;
        }
        DeltaLedger charges = new DeltaLedger(usage);
        Tree replay = new Tree(current, stamps, charges, quota);
        try {
            for (Mutation m : tx.log()) {
                m.apply(replay, caller, ChangeSink.NONE);
            }
        } catch (XsException e) {
            throw XsError.EAGAIN.exception();
        }
        live.setRoot(replay.root());
        live.addRetired(replay.retiredBytes());
        charges.applyTo(usage);
        tx.reportChanges(current, replay.root(), sink);
    }
}
