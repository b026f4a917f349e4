package org.jxenstored.protocol;

/** Message type codes of {@code xs_wire.h} as of Xen 4.22 (types 0 to 26). */
public enum XsType {
    CONTROL(0),
    DIRECTORY(1),
    READ(2),
    GET_PERMS(3),
    WATCH(4),
    UNWATCH(5),
    TRANSACTION_START(6),
    TRANSACTION_END(7),
    INTRODUCE(8),
    RELEASE(9),
    GET_DOMAIN_PATH(10),
    WRITE(11),
    MKDIR(12),
    RM(13),
    SET_PERMS(14),
    WATCH_EVENT(15),
    ERROR(16),
    IS_DOMAIN_INTRODUCED(17),
    RESUME(18),
    SET_TARGET(19),
    /** Removed in Xen 4.9; answered with ENOSYS like every unknown type. */
    RESTRICT(20),
    RESET_WATCHES(21),
    DIRECTORY_PART(22),
    GET_FEATURE(23),
    SET_FEATURE(24),
    GET_QUOTA(25),
    SET_QUOTA(26);

    private static final XsType[] BY_CODE = new XsType[27];

    static {
        for (XsType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    XsType(int code) {
        this.code = code;
    }

    /** The type with this wire code, or null when the code is not a defined type. */
    public static XsType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
