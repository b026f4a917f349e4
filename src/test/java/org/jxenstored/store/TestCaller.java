package org.jxenstored.store;

/** A fixed identity for tests. */
record TestCaller(int domid, boolean privileged, int target) implements Caller {
    TestCaller(int domid, boolean privileged) {
        this(domid, privileged, NO_TARGET);
    }
}
