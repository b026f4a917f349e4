package org.jxenstored.store;

/**
 * The per-domain limits a change must respect, asked by {@link Editor} before it changes a tree. A failed check
 * throws ENOSPC; the policy (limits, exemptions, logging) lives with the server.
 */
public interface Quota {
    /** No limits (trees nobody accounts for, and tests). */
    Quota NONE = new Quota() {
        @Override
        public boolean applies(Caller caller) {
            return false;
        }

        @Override
        public void beforeCreate(Caller caller, Ledger ledger, int owner, int nodes, long bytes) {
        }

        @Override
        public void checkNodeSize(Caller caller, long size) {
        }

        @Override
        public void checkPermissions(Caller caller, int entries) {
        }

        @Override
        public void beforeGrowth(Caller caller, Ledger ledger, int owner, long bytes) {
        }
    };

    /** Whether quotas apply to this caller at all (privileged callers are usually exempt): skip the checks if not. */
    boolean applies(Caller caller);

    /** {@code nodes} new nodes of {@code bytes} in all will be charged to {@code owner}. */
    void beforeCreate(Caller caller, Ledger ledger, int owner, int nodes, long bytes);

    /** A node will be {@code size} bytes: its record as C xenstored counts it ({@link Editor#recordSize}). */
    void checkNodeSize(Caller caller, long size);

    /** A node will carry {@code entries} permission entries. */
    void checkPermissions(Caller caller, int entries);

    /** {@code owner} will use {@code bytes} more memory (a bigger value). */
    void beforeGrowth(Caller caller, Ledger ledger, int owner, long bytes);
}
