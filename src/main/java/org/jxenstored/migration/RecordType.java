package org.jxenstored.migration;

/** Record type codes ({@code xs_state_record_header.type}); 9 and above are reserved for future use. */
public final class RecordType {
    public static final int END = 0;
    public static final int GLOBAL_DATA = 1;
    public static final int CONNECTION_DATA = 2;
    public static final int WATCH_DATA = 3;
    public static final int TRANSACTION_DATA = 4;
    public static final int NODE_DATA = 5;
    public static final int GLOBAL_QUOTA_DATA = 6;
    public static final int DOMAIN_DATA = 7;
    /** Version 2 and up. */
    public static final int WATCH_DATA_EXTENDED = 8;

    private static final String[] NAMES = {
        "END", "GLOBAL_DATA", "CONNECTION_DATA", "WATCH_DATA", "TRANSACTION_DATA", "NODE_DATA", "GLOBAL_QUOTA_DATA",
        "DOMAIN_DATA", "WATCH_DATA_EXTENDED"
    };

    private RecordType() {
    }

    /** Whether {@code type} is one of the types defined by version 2 of the specification (which includes 1's). */
    public static boolean isKnown(int type) {
        return type >= 0 && type < NAMES.length;
    }

    /** The specification's name of {@code type}, or {@code type 0x0000000c} for a reserved one. */
    public static String name(int type) {
        return isKnown(type) ? NAMES[type] : String.format("type 0x%08x", type);
    }
}
