package org.jxenstored.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.protocol.XsError;

/**
 * A transaction: a private view that starts as a snapshot of the live tree (an O(1) root copy), the generations of
 * the nodes it read as they were in that snapshot, and the log of its changes. See {@link Store#commit}.
 */
public final class Transaction {
    /** Generation recorded for a node that did not exist when it was read. */
    static final long ABSENT = 0;

    private final int id;
    private Node snapshot;
    private Tree view;
    private final Map<String, Long> reads = new HashMap<>();
    private final List<Mutation> log = new ArrayList<>();
    private long heldBytes;
    /** The live tree's {@link Tree#retiredBytes()} when the snapshot was taken. */
    private long retiredAtSnapshot;
    /** Set once the snapshot was given up: the commit can only fail. */
    private boolean doomed;
    /** Footprint of what was given up with the snapshot: still counts against the transaction's limit. */
    private int footprintGivenUp;

    /** Largest {@link #footprint()} allowed; 0 = unlimited (C's {@code transaction-nodes}). */
    private int footprintLimit;

    Transaction(int id, Node snapshot, Tree view, long retiredAtSnapshot) {
        this.id = id;
        this.snapshot = snapshot;
        this.view = view;
        this.retiredAtSnapshot = retiredAtSnapshot;
    }

    /** Bytes of old node versions this transaction's snapshot may keep alive, given the live tree's count now. */
    public long keptAlive(long retiredNow) {
        return retiredNow - retiredAtSnapshot;
    }

    /** Whether the snapshot was given up ({@link Store#giveUpSnapshot}): the commit answers EAGAIN. */
    public boolean doomed() {
        return doomed;
    }

    /**
     * Lets go of the snapshot, its reads and its changes: from now on the transaction works on {@code view}, a
     * fresh snapshot, and its commit fails. What it had touched still counts against its footprint limit.
     */
    void giveUpSnapshot(Node root, Tree freshView, long retiredNow) {
        footprintGivenUp += reads.size() + log.size();
        reads.clear();
        log.clear();
        heldBytes = 0;
        snapshot = root;
        view = freshView;
        retiredAtSnapshot = retiredNow;
        doomed = true;
    }

    /** Bounds the nodes this transaction may touch (XSA-326): beyond it, reads and changes fail with ENOSPC. */
    public void limitFootprint(int limit) {
        this.footprintLimit = limit;
    }

    private void checkFootprint(int adding) {
        if (footprintLimit > 0 && footprint() + adding > footprintLimit) {
            throw XsError.ENOSPC.exception();
        }
    }

    public int id() {
        return id;
    }

    /** The transaction's view: its snapshot plus its own changes. */
    public Tree view() {
        return view;
    }

    /**
     * Notes that the transaction's answer depended on the node at {@code path} (its value, child list or
     * permissions, or its absence), as it was in the snapshot. Commit fails if that node has changed since.
     */
    public void recordRead(String path) {
        if (!reads.containsKey(path)) {
            checkFootprint(1);
            Node n = Tree.lookup(snapshot, path);
            reads.put(path, n == null ? ABSENT : n.generation);
        }
    }

    /** Applies {@code m} to the view and logs it for commit; a failing change leaves view and log untouched. */
    public void apply(Mutation m, Caller caller) {
        checkFootprint(1);
        m.apply(view, caller, ChangeSink.NONE);
        log.add(m);
        heldBytes += m.heldBytes();
    }

    /** What the logged changes keep alive: charged to the caller's memory quota while the transaction is open. */
    public long heldBytes() {
        return heldBytes;
    }

    /** Number of distinct nodes read plus changes logged: the size the transaction quota bounds. */
    public int footprint() {
        return footprintGivenUp + reads.size() + log.size();
    }

    Map<String, Long> reads() {
        return reads;
    }

    List<Mutation> log() {
        return log;
    }

    Node snapshot() {
        return snapshot;
    }
}
