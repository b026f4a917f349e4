package org.jxenstored.protocol;

/**
 * Number parsing the way C xenstored's clients have always been answered: {@code atoi} and {@code strtoul}
 * semantics, including their wrap-around, so that odd but harmless arguments get the same answer as from C.
 */
public final class CNumbers {
    private CNumbers() {
    }

    /** C's {@code atoi} cast to {@code unsigned int}: leading blanks, a sign, then digits; garbage reads as 0. */
    public static long atoiUnsigned(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = (v * 10 + (s.charAt(i) - '0')) & 0xFFFFFFFFL;
            i++;
        }
        return (negative ? -v : v) & 0xFFFFFFFFL;
    }

    /** What C's strto*l read before the digits: blanks, a sign and (base 0 or 16) a {@code 0x}; the radix. */
    private record Prefix(int digitsStart, boolean negative, int radix) {
    }

    private static Prefix prefix(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = base;
        if ((radix == 0 || radix == 16) && i + 1 < n && s.charAt(i) == '0'
                && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X') && i + 2 < n
                && Character.digit(s.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (radix == 0) {
            radix = i < n && s.charAt(i) == '0' ? 8 : 10;
        }
        return new Prefix(i, negative, radix);
    }

    /**
     * C's {@code strtoul(s, &end, base)} into an {@code unsigned int} where the whole string must be the number:
     * leading blanks and a sign are allowed; base 0 means C's prefixes ({@code 0x} hex, {@code 0} octal); an empty
     * number or trailing characters are -1 (invalid).
     */
    public static long strtoulWhole(String s, int base) {
        Prefix p = prefix(s, base);
        int i = p.digitsStart;
        int n = s.length();
        boolean negative = p.negative;
        int radix = p.radix;
        int digitsStart = i;
        long v = 0;
        boolean overflow = false;
        while (i < n && Character.digit(s.charAt(i), radix) >= 0) {
            if (v > (Long.MAX_VALUE - radix) / radix) {
                overflow = true;
            } else {
                v = v * radix + Character.digit(s.charAt(i), radix);
            }
            i++;
        }
        if (i == digitsStart || i != n) {
            return -1;
        }
        if (overflow) {
            return 0xFFFFFFFFL; // ULONG_MAX truncated to unsigned int
        }
        return (negative ? -v : v) & 0xFFFFFFFFL;
    }

    /**
     * C's {@code strtol(s, &end, base)} on a 64-bit {@code long} where the whole string must be the number (C
     * xenstored's permission entries): leading blanks, a sign and, for base 0, C's prefixes are allowed; an
     * overflow saturates at {@code LONG_MAX} / {@code LONG_MIN} as in C. Callers truncate the result to the width
     * they store.
     *
     * @throws XsException EINVAL for an empty number or trailing characters
     */
    public static long strtolWhole(String s, int base) {
        Prefix p = prefix(s, base);
        int i = p.digitsStart;
        int n = s.length();
        boolean negative = p.negative;
        int radix = p.radix;
        int digitsStart = i;
        // accumulate negatively: |LONG_MIN| does not fit a positive long
        long v = 0;
        boolean overflow = false;
        while (i < n && isDigit(s.charAt(i), radix)) {
            int d = Character.digit(s.charAt(i), radix);
            if (v < (Long.MIN_VALUE + d) / radix) {
                overflow = true;
            } else {
                v = v * radix - d;
            }
            i++;
        }
        if (i == digitsStart || i != n) {
            throw XsError.EINVAL.exception();
        }
        if (negative) {
            return overflow ? Long.MIN_VALUE : v;
        }
        return overflow || v == Long.MIN_VALUE ? Long.MAX_VALUE : -v;
    }

    /**
     * C xenstored's {@code parse_domid} (Xen 4.22): {@code strtoul(s, &end, 10)} over the whole string, at most
     * 65535. An empty string is 0 (strtoul reads nothing and stops at the terminator).
     *
     * @return the domid, or -1 where C answers EINVAL
     */
    public static int parseDomid(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            if (v <= 65535) {
                v = v * 10 + (s.charAt(i) - '0');
            }
            i++;
        }
        if (i == digitsStart) {
            return n == 0 ? 0 : -1; // no number: strtoul's end is the start of the string
        }
        if (i != n || v > 65535 || (negative && v != 0)) {
            return -1;
        }
        return (int) v;
    }

    private static boolean isDigit(char c, int radix) {
        return Character.digit(c, radix) >= 0 && c < 128;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
