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

    /**
     * C's {@code strtoul(s, &end, base)} into an {@code unsigned int} where the whole string must be the number:
     * leading blanks and a sign are allowed; base 0 means C's prefixes ({@code 0x} hex, {@code 0} octal); an empty
     * number or trailing characters are -1 (invalid).
     */
    public static long strtoulWhole(String s, int base) {
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

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
