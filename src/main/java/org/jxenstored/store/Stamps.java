package org.jxenstored.store;

/** The store-wide counter behind node generations and creation order. Store thread only. */
public final class Stamps {
    private long last;

    public long next() {
        return ++last;
    }

    public long last() {
        return last;
    }
}
