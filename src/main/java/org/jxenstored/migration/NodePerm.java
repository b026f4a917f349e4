package org.jxenstored.migration;

/**
 * One permission entry of a node ({@code xs_state_node_perm}, 4 bytes): {@code perm u8 | flags u8 | domid u16}.
 * The first entry of a node names its owner.
 *
 * @param access the access letter
 * @param stale flag 0x01: a stale entry (its domain is gone), to be ignored when checking permissions
 * @param domid the domain, 0-65535 (C 4.22 also uses {@code DOMID_ANY}, 0x7ff5)
 */
public record NodePerm(Access access, boolean stale, int domid) {
    /** Flags bit of a stale entry. */
    public static final int FLAG_STALE = 0x01;

    /** The access letters of SET_PERMS; {@link #mode()} matches the store's numbering (none, read, write, both). */
    public enum Access {
        NONE('n'), READ('r'), WRITE('w'), BOTH('b');

        private final char code;

        Access(char code) {
            this.code = code;
        }

        /** The ASCII letter written in the stream. */
        public char code() {
            return code;
        }

        /** 0 none, 1 read, 2 write, 3 both. */
        public int mode() {
            return ordinal();
        }

        /** The access of a letter, or null for any other byte. */
        public static Access of(int code) {
            switch (code) {
                case 'n':
                    return NONE;
                case 'r':
                    return READ;
                case 'w':
                    return WRITE;
                case 'b':
                    return BOTH;
                default:
                    return null;
            }
        }
    }

    public NodePerm {
        if (access == null) {
            throw new IllegalArgumentException("permission access missing");
        }
        Wire.checkU16(domid, "permission domid");
    }

    /** A current (not stale) entry. */
    public static NodePerm of(Access access, int domid) {
        return new NodePerm(access, false, domid);
    }

    /** The flags byte as written. */
    public int flags() {
        return stale ? FLAG_STALE : 0;
    }

    @Override
    public String toString() {
        return (stale ? "!" : "") + access.code + domid;
    }
}
