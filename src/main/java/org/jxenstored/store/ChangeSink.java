package org.jxenstored.store;

/** Hears about every change an {@link Editor} makes: the watch layer turns these into events. */
public interface ChangeSink {
    /** Discards changes: a transaction's edits are reported only when they are replayed at commit. */
    ChangeSink NONE = new ChangeSink() {
        @Override
        public void changed(String path, Node node, Perms oldPerms) {
        }

        @Override
        public void removed(String path, Node subtree) {
        }

        @Override
        public void gone(String path, Node node, boolean exact) {
        }
    };

    /**
     * The node at {@code path} was created or changed.
     *
     * @param node the node as it is now
     * @param oldPerms its permissions before a SET_PERMS, else null
     */
    void changed(String path, Node node, Perms oldPerms);

    /** The subtree {@code subtree} that was at {@code path} was removed. */
    void removed(String path, Node subtree);

    /**
     * A commit removed the node {@code node} that was at {@code path}, one of the nodes it reports one by one (its
     * removed descendants come as their own calls).
     *
     * @param exact whether only watches on exactly this path fire (a node removed with a removed ancestor), or also
     *     the watches on its ancestors (the node the transaction removed)
     */
    void gone(String path, Node node, boolean exact);
}
