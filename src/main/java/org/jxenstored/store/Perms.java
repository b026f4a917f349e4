package org.jxenstored.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;

/**
 * A node's permission list, immutable. The first entry names the owner and the access everybody else gets by
 * default; further entries grant or deny specific domains. Wire form: {@code <mode><domid>} strings, mode one of
 * {@code n r w b} (none, read, write, both).
 */
public final class Perms {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int BOTH = READ | WRITE;
    /** Flag kept with an entry's mode: the entry grants nothing (C's {@code XS_PERM_IGNORE}). */
    private static final byte IGNORED = 0x10;

    /** The root's and Dom0's default: owned by Dom0, nobody else may read or write. */
    public static final Perms DOM0_ONLY = new Perms(new int[] {0}, new byte[] {NONE});

    private static final int RECORD_BYTES_PER_ENTRY = 8;

    private final int[] domids;
    private final byte[] modes;
    private byte[] wire;

    private Perms(int[] domids, byte[] modes) {
        this.domids = domids;
        this.modes = modes;
    }

    public static Perms of(int owner, int defaultMode) {
        return new Perms(new int[] {owner}, new byte[] {(byte) defaultMode});
    }

    /**
     * Parses SET_PERMS arguments: one string per entry, at least one entry. The domid is read as C xenstored reads
     * it ({@code strtol(s, &end, 0)} stored in an {@code unsigned int}): blanks, a sign and C's prefixes are allowed,
     * anything else after the number is not; {@code -1} and {@code 4294967295} both become {@code 0xFFFFFFFF} (shown
     * as {@code -1}), {@code 4294967296} wraps to 0. Whether the domains exist is the caller's question.
     *
     * @throws org.jxenstored.protocol.XsException EINVAL on any malformed entry
     */
    public static Perms parse(String[] entries) {
        if (entries.length == 0) {
            throw XsError.EINVAL.exception();
        }
        int[] domids = new int[entries.length];
        byte[] modes = new byte[entries.length];
        for (int i = 0; i < entries.length; i++) {
            String e = entries[i];
            if (e.length() < 2) {
                throw XsError.EINVAL.exception();
            }
            modes[i] = (byte) modeOf(e.charAt(0));
            domids[i] = (int) CNumbers.strtolWhole(e.substring(1), 0);
        }
        return new Perms(domids, modes);
    }

    /**
     * These permissions with the entries {@code ignore} picks marked ignored (C's {@code XS_PERM_IGNORE}): kept and
     * shown, but granting nothing, e.g. an entry naming a domain that did not exist when it was set, so that a
     * later domain with that id does not inherit it. The same instance when nothing changes.
     */
    public Perms ignoring(IntPredicate ignore) {
        byte[] m = null;
        for (int i = 0; i < domids.length; i++) {
            if ((modes[i] & IGNORED) == 0 && ignore.test(domids[i])) {
                if (m == null) {
                    m = modes.clone();
                }
                m[i] |= IGNORED;
            }
        }
        return m == null ? this : new Perms(domids, m);
    }

    /** Whether entry {@code i} is ignored (see {@link #ignoring}). */
    public boolean ignored(int i) {
        return (modes[i] & IGNORED) != 0;
    }

    private static int modeOf(char c) {
        switch (c) {
            case 'n':
                return NONE;
            case 'r':
                return READ;
            case 'w':
                return WRITE;
            case 'b':
                return BOTH;
            default:
                throw XsError.EINVAL.exception();
        }
    }

    private static char charOf(int mode) {
        return "nrwb".charAt(mode);
    }

    public int owner() {
        return domids[0];
    }

    public int size() {
        return domids.length;
    }

    /**
     * Entry {@code i}'s mode with its flags, as {@link #of(int[], byte[])} takes it back: the exact form persisted
     * state keeps.
     */
    public byte rawMode(int i) {
        return modes[i];
    }

    /** Permissions from the exact form {@link #rawMode} gives (persisted state); owner first. */
    public static Perms of(int[] domids, byte[] rawModes) {
        if (domids.length == 0 || domids.length != rawModes.length) {
            throw new IllegalArgumentException("permissions need an owner and one mode per entry");
        }
        for (byte m : rawModes) {
            if ((m & ~(BOTH | IGNORED)) != 0) {
                throw new IllegalArgumentException("permission mode 0x" + Integer.toHexString(m & 0xff));
            }
        }
        return new Perms(domids.clone(), rawModes.clone());
    }

    public int domid(int i) {
        return domids[i];
    }

    /** The mode of entry {@code i} ({@link #NONE}, {@link #READ}, {@link #WRITE} or {@link #BOTH}). */
    public int mode(int i) {
        return modes[i] & BOTH;
    }

    /** The access {@code domid} has by this list, ignoring privilege (the caller handles Dom0 and targets). */
    public int modeFor(int domid) {
        if (domid == domids[0]) {
            return BOTH;
        }
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] == domid && !ignored(i)) {
                return mode(i);
            }
        }
        return mode(0);
    }

    /** These permissions plus a read grant for {@code domid}. */
    public Perms withReader(int domid) {
        int[] d = Arrays.copyOf(domids, domids.length + 1);
        byte[] m = Arrays.copyOf(modes, modes.length + 1);
        d[domids.length] = domid;
        m[modes.length] = READ;
        return new Perms(d, m);
    }

    /** Whether an entry after the owner's names {@code domid}. */
    public boolean mentions(int domid) {
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] == domid) {
                return true;
            }
        }
        return false;
    }

    /** These permissions without the entries (after the owner's) naming {@code domid}. */
    public Perms without(int domid) {
        if (!mentions(domid)) {
            return this;
        }
        int n = 1;
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] != domid) {
                n++;
            }
        }
        int[] d = new int[n];
        byte[] m = new byte[n];
        d[0] = domids[0];
        m[0] = modes[0];
        int j = 1;
        for (int i = 1; i < domids.length; i++) {
            if (domids[i] != domid) {
                d[j] = domids[i];
                m[j++] = modes[i];
            }
        }
        return new Perms(d, m);
    }

    /** These permissions with {@code owner} as the owner; the same instance when it already is. */
    public Perms withOwner(int owner) {
        if (domids[0] == owner) {
            return this;
        }
        int[] d = domids.clone();
        d[0] = owner;
        return new Perms(d, modes);
    }

    /**
     * The GET_PERMS payload: every entry NUL-terminated, the domid as C prints it ({@code %i} of the unsigned
     * value: {@code 0xFFFFFFFF} is {@code -1}). Shared: callers must not modify it.
     */
    public byte[] wire() {
        byte[] w = wire;
        if (w == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8 * domids.length);
            for (int i = 0; i < domids.length; i++) {
                out.write(charOf(mode(i)));
                byte[] id = Integer.toString(domids[i]).getBytes(StandardCharsets.US_ASCII);
                out.write(id, 0, id.length);
                out.write(0);
            }
            w = out.toByteArray();
            wire = w;
        }
        return w;
    }

    /** Bytes this list costs in the memory accounting: its GET_PERMS form. */
    public int accountedSize() {
        return wire().length;
    }

    /** Bytes this list takes in C xenstored's node record ({@code struct xs_permissions}: 8 per entry). */
    public int recordSize() {
        return RECORD_BYTES_PER_ENTRY * domids.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Perms)) {
            return false;
        }
        Perms p = (Perms) o;
        return Arrays.equals(domids, p.domids) && Arrays.equals(modes, p.modes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(domids) + Arrays.hashCode(modes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < domids.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(charOf(mode(i))).append(domids[i]);
            if (ignored(i)) {
                sb.append("(ignored)");
            }
        }
        return sb.toString();
    }
}
