package org.jxenstored.store;

import org.jxenstored.protocol.XsError;

/**
 * Canonical xenstore paths. A relative path is resolved under the caller's {@code /local/domain/<domid>}; the
 * result must start with {@code /}, use only {@code [A-Za-z0-9/_@-]}, contain no {@code //} and not end in
 * {@code /} (except the root). The length is a per-domain quota, as in C xenstored 4.22 ({@code path-max}): the part
 * of the canonical path after a leading {@code /local/domain/<domid>/} (all of it for other paths) must be shorter
 * than the caller's limit, else EINVAL. Callers without a limit (Dom0's socket: C's socket connections have no
 * domain, hence no quota) are bound only by the 4096-byte payload.
 */
public final class Paths {
    /** {@code XENSTORE_ABS_PATH_MAX} of xs_wire.h; C 4.22 no longer enforces it. */
    public static final int ABS_PATH_MAX = 3072;
    /** {@code XENSTORE_REL_PATH_MAX} of xs_wire.h: the default {@code path-max} quota. */
    public static final int REL_PATH_MAX = 2048;
    /** No {@code path-max} limit (a quota of 0, or a caller the quotas do not apply to). */
    public static final int UNLIMITED = 0;
    private static final String[] NO_SEGMENTS = new String[0];
    private static final String DOMAIN_PREFIX = "/local/domain/";

    private Paths() {
    }

    /** The home of domain {@code domid}, where its relative paths resolve. */
    /** The path of the child {@code name} of {@code parent}. */
    public static String child(String parent, String name) {
        return parent.length() == 1 ? "/" + name : parent + "/" + name;
    }

    public static String domainPath(int domid) {
        return DOMAIN_PREFIX + domid;
    }

    /**
     * Resolves and validates a node path sent by domain {@code domid}, with no length limit.
     *
     * @throws org.jxenstored.protocol.XsException EINVAL for an invalid path
     */
    public static String canonical(int domid, String raw) {
        return canonical(domid, raw, UNLIMITED);
    }

    /**
     * As {@link #canonical(int, String)}, held to a {@code path-max} quota: the length after a leading
     * {@code /local/domain/<domid>/} must be below {@code pathMax} ({@link #UNLIMITED}: no limit).
     */
    public static String canonical(int domid, String raw, int pathMax) {
        if (raw.startsWith("@")) {
            throw XsError.EINVAL.exception(); // special names are only for watches and permissions
        }
        String path = raw.startsWith("/") ? raw : domainPath(domid) + "/" + raw;
        if (!isValid(path) || exceeds(path, pathMax)) {
            throw XsError.EINVAL.exception();
        }
        return path;
    }

    /**
     * Resolves a path that may name a special node ({@code @introduceDomain}, {@code @releaseDomain/5}: watches,
     * GET_PERMS, SET_PERMS): {@code @} paths are kept as they are, with the same character, form and length rules;
     * others as {@link #canonical(int, String, int)}.
     */
    public static String canonicalSpecial(int domid, String raw, int pathMax) {
        if (raw.startsWith("@")) {
            if (!validChars(raw) || raw.contains("//") || raw.endsWith("/") || exceeds(raw, pathMax)) {
                throw XsError.EINVAL.exception();
            }
            return raw;
        }
        return canonical(domid, raw, pathMax);
    }

    /** Whether {@code raw}, as domain {@code domid} sent it, is too long for a {@code path-max} quota. */
    public static boolean tooLong(int domid, String raw, int pathMax) {
        String path = raw.startsWith("/") || raw.startsWith("@") ? raw : domainPath(domid) + "/" + raw;
        return exceeds(path, pathMax);
    }

    /** Whether a path's length breaks a {@code path-max} quota (C: {@code strlen(name) - local_off >= quota}). */
    private static boolean exceeds(String path, int pathMax) {
        return pathMax != UNLIMITED && path.length() - homePrefixLength(path) >= pathMax;
    }

    /** The length a {@code path-max} quota is checked against: after a leading {@code /local/domain/<domid>/}. */
    public static int relativeLength(String path) {
        return path.length() - homePrefixLength(path);
    }

    /** Whether a canonical path is well formed (see the class comment); its length is a quota matter. */
    public static boolean isValid(String path) {
        int len = path.length();
        if (len == 0 || path.charAt(0) != '/') {
            return false;
        }
        if (len > 1 && path.charAt(len - 1) == '/') {
            return false;
        }
        return !path.contains("//") && validChars(path);
    }

    /**
     * Length of a leading {@code /local/domain/<domid>/}, or 0 when the path does not start so. As C's
     * {@code sscanf(name, "/local/domain/%5u/%n", ...)}: the domid is at most five characters, a sign included.
     */
    static int homePrefixLength(String path) {
        if (!path.startsWith(DOMAIN_PREFIX)) {
            return 0;
        }
        int start = DOMAIN_PREFIX.length();
        int i = start;
        if (i < path.length() && path.charAt(i) == '-') {
            i++; // %u takes a sign ('+' is no path character)
        }
        int digits = 0;
        while (i < path.length() && i - start < 5 && path.charAt(i) >= '0' && path.charAt(i) <= '9') {
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
