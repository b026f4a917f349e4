package org.jxenstored.control;

import java.util.ArrayDeque;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.store.Node;

/**
 * What a domain uses now, counted from the live state: the figures of {@code quota <domid>}. Nodes are counted by
 * owner by walking the tree (no per-domain accounting is kept yet); memory is an estimate (node names, values and
 * permissions, watch paths and tokens), not C xenstored's accounting.
 */
final class Usage {
    long nodes;
    long watches;
    long transactions;
    long outstanding;
    long memory;

    /** The whole store, for memreport. */
    long allNodes;
    long allBytes;

    static Usage of(Server server, int domid) {
        Usage u = new Usage();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.push(server.store().live().root());
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            long size = n.name().length() + 1L + n.value().length + n.perms().accountedSize();
            u.allNodes++;
            u.allBytes += size;
            if (n.perms().owner() == domid) {
                u.nodes++;
                u.memory += size;
            }
            for (Node c : n.childrenInOrder()) {
                todo.push(c);
            }
        }
        for (Connection c : server.connections()) {
            if (c.domid() != domid) {
                continue;
            }
            u.watches += c.watches().size();
            u.transactions += c.transactions().size();
            c.watches().forEach(w -> u.memory += w.path().length() + w.token().length() + 2L);
        }
        return u;
    }
}
