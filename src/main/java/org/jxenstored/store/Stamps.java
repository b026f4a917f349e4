package org.jxenstored.store;

/** The store-wide counter behind node generations and creation order. Store thread only. */
public final class Stamps {
    private long last;

    public long next() {
        return ++last;
    }

    /** Continues after {@code stamp} (a restored tree's highest) unless already past it. */
    public void advanceTo(long stamp) {
        last = Math.max(last, stamp);
    }

    public long last() {
        return last;
    }
}
