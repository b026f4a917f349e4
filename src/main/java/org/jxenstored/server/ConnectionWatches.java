package org.jxenstored.server;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jxenstored.watch.Watch;

/**
 * A connection's watches, keyed by path and token, in registration order: WATCH's duplicate check and UNWATCH are
 * O(1) however many watches a connection holds (as ZooKeeper keeps a session's watches). Changed only through
 * {@link WatchRegistry}, which keeps the watch index and the held memory in step.
 */
public final class ConnectionWatches {
    private record Key(String path, String token) {
    }

    private final Map<Key, Watch> byKey = new LinkedHashMap<>();
    private final Collection<Watch> view = Collections.unmodifiableCollection(byKey.values());

    public int size() {
        return byKey.size();
    }

    /** The watch on {@code path} with {@code token}, or null. */
    public Watch find(String path, String token) {
        return byKey.get(new Key(path, token));
    }

    /** All of them, in registration order (read-only). */
    public Collection<Watch> all() {
        return view;
    }

    void add(Watch w) {
        byKey.put(new Key(w.path(), w.token()), w);
    }

    Watch remove(String path, String token) {
        return byKey.remove(new Key(path, token));
    }

    void clear() {
        byKey.clear();
    }
}
