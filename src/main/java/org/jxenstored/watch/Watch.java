package org.jxenstored.watch;

import java.nio.charset.StandardCharsets;

/** One registered watch. */
public final class Watch {
    /** No depth limit. */
    public static final int ANY_DEPTH = -1;

    private static long lastSeq;

    final Watcher owner;
    /** Canonical path (absolute, or special {@code @...}). */
    final String path;
    final String token;
    final int depth;
    /** Characters to strip from event paths for a watch registered with a relative path; 0 when absolute. */
    final int relativePrefix;
    final int segments;
    /** Registration order, store-wide: a connection's events for one change go out in this order, as in C. */
    final long seq;
    /** Trie node holding this watch while registered; null once removed. */
    WatchIndex.TrieNode home;

    public Watch(Watcher owner, String path, String token, int depth, int relativePrefix) {
        this.owner = owner;
        this.path = path;
        this.token = token;
        this.depth = depth;
        this.relativePrefix = relativePrefix;
        this.segments = WatchIndex.segmentCount(path);
        this.seq = ++lastSeq;
    }

    public Watcher owner() {
        return owner;
    }

    public String path() {
        return path;
    }

    public String token() {
        return token;
    }

    /** Characters stripped from event paths (a watch registered with a relative path); 0 when absolute. */
    public int relativePrefix() {
        return relativePrefix;
    }

    public int depth() {
        return depth;
    }

    /** Whether a change {@code levels} segments below the watched path is within this watch's depth. */
    boolean reaches(int levels) {
        return depth == ANY_DEPTH || levels <= depth;
    }

    /** The WATCH_EVENT payload for a change of {@code eventPath}: the path as the watcher sees it, and the token. */
    public byte[] eventPayload(String eventPath) {
        String shown = relativePrefix > 0 && eventPath.length() > relativePrefix
                ? eventPath.substring(relativePrefix)
                : eventPath;
        byte[] p = shown.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = token.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[p.length + t.length + 2];
        System.arraycopy(p, 0, out, 0, p.length);
        System.arraycopy(t, 0, out, p.length + 1, t.length);
        return out;
    }

    /** Size of the largest event this watch can produce for a path of {@code pathLength} bytes. */
    public int eventSize(int pathLength) {
        return pathLength - relativePrefix + token.length() + 2;
    }
}
