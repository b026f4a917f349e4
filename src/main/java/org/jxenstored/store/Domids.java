package org.jxenstored.store;

/** Domain ids. */
public final class Domids {
    /** Ids from here up are reserved by Xen ({@code DOMID_FIRST_RESERVED}): no domain has one. */
    public static final int FIRST_RESERVED = 0x7FF0;
    /** {@code DOMID_SELF}: "the caller" in requests that take a domid. */
    public static final int SELF = 0x7FF0;

    /** {@code DOMID_ANY} (Xen 4.22): in a permission entry, every domain. */
    public static final int ANY = 0x7FF5;

    private Domids() {
    }

    /** Whether a domain could have this id (an unsigned value below {@link #FIRST_RESERVED}). */
    public static boolean isValid(int domid) {
        return Integer.compareUnsigned(domid, FIRST_RESERVED) < 0;
    }
}
