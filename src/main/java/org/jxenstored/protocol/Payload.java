package org.jxenstored.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parsing of request payloads: NUL-separated strings as C xenstored reads them.
 * Every malformed payload is an {@link XsError#EINVAL}.
 */
public final class Payload {
    private Payload() {
    }

    /** The one NUL-terminated string the whole payload must be (C: {@code onearg}). */
    public static String single(byte[] payload) {
        int n = payload.length;
        if (n == 0 || payload[n - 1] != 0 || indexOfNul(payload, 0) != n - 1) {
            throw XsError.EINVAL.exception();
        }
        return ascii(payload, 0, n - 1);
    }

    /**
     * Splits the payload into exactly {@code count} NUL-terminated strings (C: {@code get_strings} with an exact
     * count). Extra or missing strings are EINVAL.
     */
    public static String[] split(byte[] payload, int count) {
        String[] out = new String[count];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int nul = indexOfNul(payload, pos);
            if (nul < 0) {
                throw XsError.EINVAL.exception();
            }
            out[i] = ascii(payload, pos, nul - pos);
            pos = nul + 1;
        }
        if (pos != payload.length) {
            throw XsError.EINVAL.exception();
        }
        return out;
    }

    /**
     * The NUL-terminated strings of the payload; an unterminated tail is ignored, as C's {@code get_strings} does
     * (SET_PERMS relies on this).
     */
    public static String[] terminatedStrings(byte[] payload) {
        int count = 0;
        for (byte b : payload) {
            if (b == 0) {
                count++;
            }
        }
        String[] out = new String[count];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int nul = indexOfNul(payload, pos);
            out[i] = ascii(payload, pos, nul - pos);
            pos = nul + 1;
        }
        return out;
    }

    /** Counts the NUL-terminated strings of the payload; an unterminated tail counts as -1 (invalid). */
    public static int countStrings(byte[] payload) {
        int n = 0;
        int pos = 0;
        while (pos < payload.length) {
            int nul = indexOfNul(payload, pos);
            if (nul < 0) {
                return -1;
            }
            n++;
            pos = nul + 1;
        }
        return n;
    }

    /** Position of the first NUL at or after {@code from}, or -1. */
    public static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    public static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** {@code s} followed by a NUL, the usual shape of a reply. */
    public static byte[] nulTerminated(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** The strings joined, each followed by a NUL. */
    public static byte[] nulTerminated(String... parts) {
        int len = 0;
        for (String p : parts) {
            len += p.length() + 1;
        }
        byte[] out = new byte[len];
        int pos = 0;
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length + 1;
        }
        return out;
    }
}
