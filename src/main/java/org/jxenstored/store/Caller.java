package org.jxenstored.store;

/** Who asks: the identity permission checks are made against. */
public interface Caller {
    /** No target domain (see {@link #target()}). */
    int NO_TARGET = -1;

    int domid();

    /** Dom0 and socket connections: all permission checks pass. */
    boolean privileged();

    /** The domain this caller serves as device model (SET_TARGET), acting with its owner rights; or NO_TARGET. */
    int target();
}
