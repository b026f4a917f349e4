package org.jxenstored.store;

import org.jxenstored.protocol.XsError;

/**
 * Canonical xenstore paths. A relative path is resolved under the caller's {@code /local/domain/<domid>}; the
 * result must start with {@code /}, use only {@code [A-Za-z0-9/_@-]}, contain no {@code //} and not end in
 * {@code /} (except the root). Lengths are checked on the canonical form (XSA-323), as C xenstored does: at most
 * {@link #REL_PATH_MAX} bytes below a domain's home {@code /local/domain/<domid>/}, or in all for other paths, and
 * never more than {@link #ABS_PATH_MAX}.
 */
public final class Paths {
    public static final int ABS_PATH_MAX = 3072;
    public static final int REL_PATH_MAX = 2048;
    private static final String[] NO_SEGMENTS = new String[0];
    private static final String DOMAIN_PREFIX = "/local/domain/";

    private Paths() {
    }

    /** The home of domain {@code domid}, where its relative paths resolve. */
    public static String domainPath(int domid) {
        return DOMAIN_PREFIX + domid;
    }

    /**
     * Resolves and validates a node path sent by domain {@code domid}.
     *
     * @throws org.jxenstored.protocol.XsException EINVAL for an invalid path
     */
    public static String canonical(int domid, String raw) {
        return canonical(domid, raw, REL_PATH_MAX);
    }

    /**
     * As {@link #canonical(int, String)} with a tighter limit below a domain's home (the {@code path-max} quota
     * of an unprivileged domain; never more than {@link #REL_PATH_MAX}).
     */
    public static String canonical(int domid, String raw, int relativeMax) {
        if (raw.startsWith("@")) {
            throw XsError.EINVAL.exception(); // special names are only for watches (and their SET_PERMS)
        }
        String path = raw.startsWith("/") ? raw : domainPath(domid) + "/" + raw;
        if (!isValid(path) || (relativeMax < REL_PATH_MAX && path.length() - homePrefixLength(path) > relativeMax)) {
            throw XsError.EINVAL.exception();
        }
        return path;
    }

    /**
     * Resolves a watch path: special {@code @} paths are kept as they are, others as {@link #canonical}.
     */
    public static String canonicalWatch(int domid, String raw) {
        if (raw.startsWith("@")) {
            if (raw.length() > REL_PATH_MAX || !validChars(raw) || raw.contains("//") || raw.endsWith("/")) {
                throw XsError.EINVAL.exception();
            }
            return raw;
        }
        return canonical(domid, raw);
    }

    /** Whether a canonical path is valid (see the class comment). */
    public static boolean isValid(String path) {
        int len = path.length();
        if (len == 0 || path.charAt(0) != '/') {
            return false;
        }
        if (len > 1 && path.charAt(len - 1) == '/') {
            return false;
        }
        if (path.contains("//") || !validChars(path)) {
            return false;
        }
        return len <= ABS_PATH_MAX && len - homePrefixLength(path) <= REL_PATH_MAX;
    }

    /** Length of a leading {@code /local/domain/<domid>/}, or 0 when the path is not below a domain's home. */
    static int homePrefixLength(String path) {
        if (!path.startsWith(DOMAIN_PREFIX)) {
            return 0;
        }
        int i = DOMAIN_PREFIX.length();
        int digits = 0;
        while (i < path.length() && Character.isDigit(path.charAt(i)) && digits < 5) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= path.length() || path.charAt(i) != '/') {
            return 0;
        }
        return i + 1;
    }

    private static boolean validChars(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '_' || c == '@' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The segments of a canonical path; none for the root. */
    public static String[] segments(String path) {
        if (path.length() <= 1) {
            return NO_SEGMENTS;
        }
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segs = new String[count];
        int start = 1;
        for (int i = 0; i < count; i++) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            segs[i] = path.substring(start, end);
            start = end + 1;
        }
        return segs;
    }

    /** The parent of a canonical non-root path. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** {@code child} below {@code parent} (which may be the root). */
    public static String join(String parent, String child) {
        return parent.length() == 1 ? "/" + child : parent + "/" + child;
    }

}
