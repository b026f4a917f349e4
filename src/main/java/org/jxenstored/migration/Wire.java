package org.jxenstored.migration;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Shared checks and conversions for record fields. Strings are byte strings: ISO-8859-1, one char per byte. */
final class Wire {
    static final int U16_MAX = 0xffff;
    static final long U32_MAX = 0xffff_ffffL;
    /** Xen's {@code DOMID_FIRST_RESERVED}: real domains have smaller ids. */
    static final int DOMID_FIRST_RESERVED = 0x7ff0;
    /** Xen's {@code DOMID_INVALID}. */
    static final int DOMID_INVALID = 0x7ff4;

    private Wire() {
    }

    /** Rounds up to a multiple of 8. */
    static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * Checks a string written as a C string (NUL-terminated): one byte per char, no NUL inside, and its length
     * with the NUL fits the 16-bit length field.
     */
    static void checkCString(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " missing");
        }
        if (s.length() + 1 > U16_MAX) {
            throw new IllegalArgumentException(what + " too long: " + s.length() + " bytes");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(what + " contains a NUL byte at " + i);
            }
            if (c > 0xff) {
                throw new IllegalArgumentException(what + " has a char above 0xff at " + i
                        + " (strings are byte strings, ISO-8859-1)");
            }
        }
    }

    /** Checks a string that is one of several NUL-separated names: one byte per char, no NUL inside. */
    static void checkName(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new IllegalArgumentException(what + " has a NUL or a char above 0xff at " + i);
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String string(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    static void checkU16(long v, String what) {
        if (v < 0 || v > U16_MAX) {
            throw new IllegalArgumentException(what + " out of range 0..65535: " + v);
        }
    }

    static void checkU32(long v, String what) {
        if (v < 0 || v > U32_MAX) {
            throw new IllegalArgumentException(what + " out of range 0..4294967295: " + v);
        }
    }

    /** A domain id of a real domain (not one of Xen's reserved ids). */
    static void checkDomid(int domid, String what) {
        if (domid < 0 || domid >= DOMID_FIRST_RESERVED) {
            throw new IllegalArgumentException(what + " is not a domain id: " + domid);
        }
    }

    /** Printable form of a byte string for toString(): printable ASCII as is, the rest escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.append('"').toString();
    }

    static String quote(byte[] b) {
        return quote(string(b, 0, b.length));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
