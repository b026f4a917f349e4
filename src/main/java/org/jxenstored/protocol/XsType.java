package org.jxenstored.protocol;

/** Message type codes of {@code xs_wire.h} as of Xen 4.22 (types 0 to 26). */
public enum XsType {
    CONTROL(0, Group.OTHER, Flags.PRIVILEGED),
    DIRECTORY(1, Group.READ, 0),
    READ(2, Group.READ, 0),
    GET_PERMS(3, Group.READ, 0),
    WATCH(4, Group.OTHER, Flags.NO_TRANSACTION),
    UNWATCH(5, Group.OTHER, Flags.NO_TRANSACTION),
    TRANSACTION_START(6, Group.TRANSACTION, 0),
    TRANSACTION_END(7, Group.TRANSACTION, Flags.CHANGE),
    INTRODUCE(8, Group.DOMAIN, Flags.PRIVILEGED),
    RELEASE(9, Group.DOMAIN, Flags.PRIVILEGED),
    GET_DOMAIN_PATH(10, Group.DOMAIN, 0),
    WRITE(11, Group.OTHER, Flags.CHANGE),
    MKDIR(12, Group.OTHER, Flags.CHANGE),
    RM(13, Group.OTHER, Flags.CHANGE),
    SET_PERMS(14, Group.OTHER, Flags.CHANGE),
    WATCH_EVENT(15, Group.OTHER, 0),
    ERROR(16, Group.OTHER, 0),
    IS_DOMAIN_INTRODUCED(17, Group.DOMAIN, Flags.PRIVILEGED),
    RESUME(18, Group.DOMAIN, Flags.PRIVILEGED),
    SET_TARGET(19, Group.DOMAIN, Flags.PRIVILEGED),
    /** Removed in Xen 4.9; answered with ENOSYS like every unknown type. */
    RESTRICT(20, Group.OTHER, 0),
    RESET_WATCHES(21, Group.OTHER, 0),
    DIRECTORY_PART(22, Group.READ, 0),
    /** A domain may read its own features; another's needs privilege (checked by its handler). */
    GET_FEATURE(23, Group.OTHER, 0),
    SET_FEATURE(24, Group.OTHER, Flags.PRIVILEGED),
    GET_QUOTA(25, Group.OTHER, Flags.PRIVILEGED),
    SET_QUOTA(26, Group.OTHER, Flags.PRIVILEGED);

    /** Which of the access log's switches covers a type (oxenstored's log categories). */
    public enum Group {
        /** READ, DIRECTORY, DIRECTORY_PART, GET_PERMS: the access log's {@code read} switch. */
        READ,
        /** TRANSACTION_START and TRANSACTION_END: its {@code trans} switch. */
        TRANSACTION,
        /** The domain requests: its {@code special} switch. */
        DOMAIN,
        /** Always logged. */
        OTHER
    }

    /** The flags of a type, as C's {@code wire_funcs} table has them. */
    private static final class Flags {
        static final int PRIVILEGED = 1;
        static final int NO_TRANSACTION = 2;
        static final int CHANGE = 4;
    }

    private static final XsType[] BY_CODE = new XsType[27];

    static {
        for (XsType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;
    public final Group group;
    /** Only privileged connections may send it: EACCES otherwise (C's {@code XS_FLAG_PRIV}). */
    public final boolean privilegedOnly;
    /** The header's transaction id is ignored, as in C ({@code XS_FLAG_NOTID}): WATCH and UNWATCH. */
    public final boolean ignoresTransaction;
    /** It may change the store, and costs an unprivileged domain write credit (XSA-206). */
    public final boolean changesStore;

    XsType(int code, Group group, int flags) {
        this.code = code;
        this.group = group;
        this.privilegedOnly = (flags & Flags.PRIVILEGED) != 0;
        this.ignoresTransaction = (flags & Flags.NO_TRANSACTION) != 0;
        this.changesStore = (flags & Flags.CHANGE) != 0;
    }

    /** The type with this wire code, or null when the code is not a defined type. */
    public static XsType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
