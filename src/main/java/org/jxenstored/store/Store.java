package org.jxenstored.store;

import java.util.Map;
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

    /** Starts a transaction on a snapshot of the live tree; {@code id} is the caller's (per connection, as C). */
    public Transaction begin(int id) {
        Node snapshot = live.root();
        return new Transaction(id, snapshot, newView(snapshot), live.retiredBytes());
    }

    private Tree newView(Node snapshot) {
        return new Tree(snapshot, stamps, DeltaLedger.forTransaction(usage), quota);
    }

    /** Estimated bytes of node versions the live tree has replaced so far (see {@link Tree#retiredBytes()}). */
    public long retiredBytes() {
        return live.retiredBytes();
    }

    /**
     * Makes a transaction let go of its snapshot when what it keeps alive has grown too large: it continues on a
     * fresh snapshot without its earlier changes, and its commit answers EAGAIN, which clients retry. O(1).
     */
    public void giveUpSnapshot(Transaction tx) {
        Node now = live.root();
        tx.giveUpSnapshot(now, newView(now), live.retiredBytes());
    }

    /**
     * Commits: EAGAIN unless every node the transaction read still has the generation it had in the snapshot. Then
     * its changes are replayed on the live tree with the same checks as outside a transaction; if any now fails the
     * commit is EAGAIN and nothing changes. Otherwise the changes become live at once and are reported to
     * {@code sink}, once per changed node (events of a transaction go out only here).
     */
    public void commit(Transaction tx, Caller caller, ChangeSink sink) {
        if (tx.doomed()) {
            throw XsError.EAGAIN.exception();
        }
        Node current = live.root();
        for (Map.Entry<String, Long> read : tx.reads().entrySet()) {
            Node n = Tree.lookup(current, read.getKey());
            long gen = n == null ? Transaction.ABSENT : n.generation;
            if (gen != read.getValue()) {
                throw XsError.EAGAIN.exception();
            }
        }
        if (tx.log().isEmpty()) {
            return;
        }
        DeltaLedger charges = new DeltaLedger(usage);
        Tree replay = new Tree(current, stamps, charges, quota);
        BufferedChanges changes = new BufferedChanges();
        try {
            for (Mutation m : tx.log()) {
                m.apply(replay, caller, changes);
            }
        } catch (XsException e) {
            throw XsError.EAGAIN.exception();
        }
        live.setRoot(replay.root());
        live.addRetired(replay.retiredBytes());
        charges.applyTo(usage);
        changes.reportTo(sink, current, replay.root());
    }
}
