package org.jxenstored.control;

import java.util.ArrayDeque;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.store.Node;

/**
 * What a domain uses now, counted from its connections (watches, transactions, outstanding requests), and the
 * whole store's size counted by walking the tree: figures for {@code quota <domid>} and {@code memreport}. Nodes and
 * memory per domain come from the store's accounting instead, which is what the quotas are checked against.
 */
final class Usage {
    long nodes;
    long watches;
    long transactions;
    long outstanding;

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
        }
        return u;
    }
}
