package org.jxenstored.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;

/**
 * A transaction, with C xenstored's conflict rule: each node counts as it is in the live tree when the transaction
 * <em>first accesses</em> it, and the commit fails with EAGAIN if any node it read, listed, wrote, removed, changed
 * the permissions of, or found absent has changed since (see {@link Store#commit}). The one merge kept: the parent of
 * a node the transaction creates or removes may gain or lose other children meanwhile (two parties creating
 * different children both succeed), as long as it is the same node with the same permissions.
 *
 * <p>The transaction's view is the live tree with the transaction's own changes replayed on top. It is rebuilt when
 * an access finds the live tree changed along the accessed path, so a first access always sees the live node; and it
 * may be dropped at any moment ({@link #dropView}) to let the old node versions it holds go. So a transaction fails
 * only for nodes it accessed, and what it keeps alive is bounded by what it accessed.
 */
public final class Transaction {
    /** Generation recorded for a node that did not exist at its first access. */
    static final long ABSENT = 0;

    private final int id;
    private final Store store;
    /** The accessed nodes, in the order of first access: the commit checks them and reports changes in this order. */
    private final Map<String, Seen> seen = new LinkedHashMap<>();
    private final List<Mutation> log = new ArrayList<>();
    private long heldBytes;
    /** Who applies the changes: their replay (rebuilding the view, committing) is judged for the same caller. */
    private Caller caller;

    /** The live root the view was built on, and the view; both null when dropped. */
    private Node base;
    private Tree view;
    /** The live tree's {@link Tree#retiredBytes()} when the view was built. */
    private long retiredAtBase;
    /** Set when the transaction is known to conflict, or its changes no longer apply: the commit answers EAGAIN. */
    private boolean doomed;

    /** Largest {@link #footprint()} allowed; 0 = unlimited (C's {@code transaction-nodes}). */
    private int footprintLimit;
    private Runnable onFootprintRefused = Transaction.NOTHING;

    /** What the transaction saw of one node at its first access, and what its commit reports of it. */
    private static final class Seen {
        final long generation;
        final long creation;
        /** Permissions at first access; null when absent. */
        final Perms perms;
        /** Whether any change of the node conflicts; otherwise only its removal or a change of its permissions. */
        boolean strict;
        /** Whether the transaction changed the node, so that its commit fires watches. */
        boolean fire;
        /** Whether only watches on exactly this node fire (a node removed with its removed ancestor). */
        boolean exact;

        Seen(Node n, boolean strict) {
            this.generation = n == null ? ABSENT : n.generation;
            this.creation = n == null ? ABSENT : n.createSeq;
            this.perms = n == null ? null : n.perms;
            this.strict = strict;
        }

        boolean stillHolds(Node now) {
            if (strict) {
                return (now == null ? ABSENT : now.generation) == generation;
            }
            return now != null && now.createSeq == creation && now.perms.equals(perms);
        }

        /** As C queues watches: a non-exact event replaces an exact one, not the other way round. */
        void fire(boolean exactOnly) {
            exact = fire ? exact && exactOnly : exactOnly;
            fire = true;
        }
    }

    Transaction(int id, Store store) {
        this.id = id;
        this.store = store;
    }

    public int id() {
        return id;
    }

    private static final Runnable NOTHING = () -> { };

    /** Bounds the nodes this transaction may access (XSA-326): beyond it, accesses fail with ENOSPC. */
    public void limitFootprint(int limit) {
        limitFootprint(limit, NOTHING);
    }

    /** As {@link #limitFootprint(int)}, running {@code onRefused} for each access refused (for the statistics). */
    public void limitFootprint(int limit, Runnable onRefused) {
        this.footprintLimit = limit;
        this.onFootprintRefused = onRefused;
    }

    /** Number of distinct nodes accessed: the size the {@code transaction-nodes} quota bounds. */
    public int footprint() {
        return seen.size();
    }

    /** Whether the commit can only answer EAGAIN. */
    /** Marks this transaction as one whose commit must fail (restored after a crash: its reads are gone). */
    public void doom() {
        doomed = true;
    }

    public boolean doomed() {
        return doomed;
    }

    /** What the logged changes keep alive: charged to the caller's memory quota while the transaction is open. */
    public long heldBytes() {
        return heldBytes;
    }

    /** The transaction's view: the live tree (as of the accesses) plus its own changes. */
    public Tree view() {
        if (view == null) {
            rebuildView();
        }
        return view;
    }

    /** Bytes of old node versions the view may keep alive, given the live tree's count now; 0 without a view. */
    public long keptAlive(long retiredNow) {
        return view == null ? 0 : retiredNow - retiredAtBase;
    }

    /** Lets go of the view and the old node versions it holds; the next access rebuilds it. Nothing is lost. */
    public void dropView() {
        view = null;
        base = null;
    }

    /**
     * Notes that the transaction's answer depends on the node at {@code path} (its value, child list or
     * permissions, or its absence). Call before looking at the view.
     */
    public void read(String path) {
        refreshFor(path, false);
        checkFootprint(seen.containsKey(path) ? 0 : 1);
        note(path, store.live().get(path), true);
    }

    /**
     * Applies {@code m} to the view and logs it for commit; a failing change leaves view and log untouched (the
     * nodes it looked at stay accessed, as in C).
     */
    public void apply(Mutation m, Caller who) {
        this.caller = who;
        String path = m.path();
        boolean removal = m instanceof Mutation.Remove;
        refreshFor(path, removal);
        Tree liveTree = store.live();
        List<String> context = creationContext(liveTree, path, m);
        List<String> subtree = removal ? subtreeBelow(view().get(path), path) : List.of();
        checkFootprint(unseen(path, context, subtree));
        note(path, liveTree.get(path), true);
        for (int i = 0; i < context.size(); i++) {
            String p = context.get(i);
            Node n = liveTree.get(p);
            note(p, n, n == null);
        }
        m.apply(view(), who, new Queue());
        for (String p : subtree) {
            note(p, liveTree.get(p), true).fire(true);
        }
        log.add(m);
        heldBytes += m.heldBytes();
    }

    /**
     * The nodes whose existence a creation or removal at {@code path} depends on, going up: the ancestors missing
     * from the live tree (the transaction creates them: strict), then the first existing one (its parent: weak).
     */
    private static List<String> creationContext(Tree liveTree, String path, Mutation m) {
        if (m instanceof Mutation.SetPerms || path.length() == 1) {
            return List.of();
        }
        boolean exists = liveTree.get(path) != null;
        if (exists && !(m instanceof Mutation.Remove)) {
            return List.of();
        }
        List<String> up = new ArrayList<>(2);
        String p = path;
        while (p.length() > 1) {
            p = Paths.parent(p);
            up.add(p);
            if (liveTree.get(p) != null) {
                break;
            }
        }
        return up;
    }

    /** The paths of the nodes below {@code node} in the view, parents before children (the order C removes them). */
    private static List<String> subtreeBelow(Node node, String path) {
        if (node == null || node.childCount() == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        ArrayDeque<Node> nodes = new ArrayDeque<>();
        ArrayDeque<String> paths = new ArrayDeque<>();
        pushChildren(node, path, nodes, paths);
        while (!nodes.isEmpty()) {
            Node n = nodes.pop();
            String p = paths.pop();
            out.add(p);
            pushChildren(n, p, nodes, paths);
        }
        return out;
    }

    private static void pushChildren(Node n, String path, ArrayDeque<Node> nodes, ArrayDeque<String> paths) {
        Node[] children = n.childrenInOrder();
        for (int i = children.length - 1; i >= 0; i--) {
            nodes.push(children[i]);
            paths.push(Paths.join(path, children[i].name()));
        }
    }

    private int unseen(String path, List<String> context, List<String> subtree) {
        int n = seen.containsKey(path) ? 0 : 1;
        for (String p : context) {
            n += seen.containsKey(p) ? 0 : 1;
        }
        for (String p : subtree) {
            n += seen.containsKey(p) ? 0 : 1;
        }
        return n;
    }

    private void checkFootprint(int adding) {
        if (footprintLimit > 0 && adding > 0 && footprint() + adding > footprintLimit) {
            onFootprintRefused.run();
            throw XsError.ENOSPC.exception();
        }
    }

    /** Records the first access to {@code path} (a weak record becomes strict when the node itself is accessed). */
    private Seen note(String path, Node live, boolean strict) {
        Seen s = seen.get(path);
        if (s == null) {
            s = new Seen(live, strict);
            seen.put(path, s);
        } else if (strict && !s.strict) {
            if (!s.stillHolds(live)) {
                doomed = true;
            }
            Seen upgraded = new Seen(live, true);
            upgraded.fire = s.fire;
            upgraded.exact = s.exact;
            seen.put(path, upgraded);
            s = upgraded;
        }
        return s;
    }

    /**
     * Makes the view show the live nodes along {@code path} (and below it, for a removal) before they are accessed:
     * drops it when the live tree changed there since it was built (the next use rebuilds it). A node on the path
     * that was accessed before and has changed since dooms the transaction instead: its earlier answers are stale,
     * so later ones must not mix in the new state, and its commit fails.
     */
    private void refreshFor(String path, boolean subtree) {
        if (doomed) {
            return;
        }
        Node liveRoot = store.live().root();
        if (accessedChangedAlong(liveRoot, path)) {
            doomed = true;
        } else if (view != null && !Tree.sameAlong(base, liveRoot, path, subtree)) {
            dropView();
        }
    }

    /** Whether a node on the way to {@code path} (itself included) was accessed and has changed since. */
    private boolean accessedChangedAlong(Node liveRoot, String path) {
        Node n = liveRoot;
        if (changedSinceSeen("/", n)) {
            return true;
        }
        int len = path.length();
        int start = 1;
        while (start < len) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = len;
            }
            n = n == null ? null : n.children.get(path, start, end);
            if (changedSinceSeen(end == len ? path : path.substring(0, end), n)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private boolean changedSinceSeen(String path, Node live) {
        Seen s = seen.get(path);
        return s != null && !s.stillHolds(live);
    }

    private void rebuildView() {
        base = store.live().root();
        retiredAtBase = store.live().retiredBytes();
        view = store.newView(base);
        for (Mutation m : log) {
            try {
                m.apply(view, caller, ChangeSink.NONE);
            } catch (XsException e) {
                doomed = true; // what it did no longer applies to the live tree: the commit could not either
            }
        }
    }

    /** Whether every accessed node is as the transaction first saw it in the tree rooted at {@code current}. */
    boolean unchangedIn(Node current) {
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            if (!e.getValue().stillHolds(Tree.lookup(current, e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reports what a successful commit changed, once per changed node, in the order of first access (as C fires a
     * commit's watches); a node created and removed within the transaction is not reported.
     */
    void reportChanges(Node before, Node after, ChangeSink sink) {
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            Seen s = e.getValue();
            if (!s.fire) {
                continue;
            }
            String path = e.getKey();
            Node now = Tree.lookup(after, path);
            if (now != null) {
                sink.changed(path, now, s.perms != null && !s.perms.equals(now.perms) ? s.perms : null);
            } else {
                Node was = Tree.lookup(before, path);
                if (was != null) {
                    sink.gone(path, was, s.exact);
                }
            }
        }
    }

    List<Mutation> log() {
        return log;
    }

    /** Marks the nodes a change in the view touched, as C queues a transaction's watches. */
    private final class Queue implements ChangeSink {
        @Override
        public void changed(String path, Node node, Perms oldPerms) {
            seen.get(path).fire(false);
        }

        @Override
        public void removed(String path, Node subtree) {
            seen.get(path).fire(false);
        }

        @Override
        public void gone(String path, Node node, boolean exact) {
            throw new IllegalStateException("not reported inside a transaction");
        }
    }
}
