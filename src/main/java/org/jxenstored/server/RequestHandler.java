package org.jxenstored.server;

import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsException;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.store.Paths;
import org.jxenstored.store.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request: finds its transaction, runs the operation, and sends the events it caused followed by its
 * reply. No request can break the daemon: an unexpected failure answers EINVAL on that connection and is logged.
 */
public final class RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final Server server;
    private final NodeRequests nodes;
    private final TransactionRequests transactions;
    private final WatchRequests watches;
    private final DomainRequests domains;
    private final QuotaRequests quotas;

    RequestHandler(Server server) {
        this.server = server;
        this.nodes = new NodeRequests(server.dispatcher(), server.specialNodes(), server);
        this.transactions = new TransactionRequests(server.store(), server.transactions(), server.dispatcher(),
                server.limits(), server.quotas(), server.counters());
        this.watches = new WatchRequests(server.watches(), server.transactions(), server.limits(), server.quotas());
        this.domains = new DomainRequests(server);
        this.quotas = new QuotaRequests(server);
    }

    public void handle(Connection conn, XsMessage msg) {
        if (conn.isClosed()) {
            return;
        }
        if (holdsForLiveUpdate(conn, msg)) {
            return;
        }
        long start = System.nanoTime();
        XsMessage answer = answer(conn, msg);
        if (answer != null) {
            conn.send(answer);
        } else {
            answer = REPLIED; // the operation replied itself (WATCH: reply before the initial event)
        }
        server.observer().served(conn, msg, answer);
        noteTransactionNodes(conn, msg);
        server.snapshots().enforce();
        conn.countRequest();
        server.requestStats().served(msg.type, answer.type == XsType.ERROR.code, System.nanoTime() - start);
    }

    /**
     * Holds a TRANSACTION_START from a connection without transactions while a live update is pending (C's
     * {@code consider_message}); it is served when the update is over ({@link Server#serveHeldRequests}).
     */
    private boolean holdsForLiveUpdate(Connection conn, XsMessage msg) {
        if (msg.type != XsType.TRANSACTION_START.code || !conn.transactions().isEmpty()
                || !server.liveUpdate().pending()) {
            return false;
        }
        try {
            server.heldRequests().hold(conn, msg);
        } catch (XsException e) {
            conn.send(XsMessage.error(msg, e.error()));
        }
        return true;
    }

    /** Records how many nodes the request's transaction has touched (C's {@code transaction-nodes} item). */
    private void noteTransactionNodes(Connection conn, XsMessage msg) {
        if (msg.txId != 0 && server.quotas().applies(conn)) {
            Transaction tx = conn.transactions().get(msg.txId);
            if (tx != null) {
                server.quotas().note(conn.domid(), QuotaKind.TRANSACTION_NODES, tx.footprint());
            }
        }
    }

    /** Stands for a reply an operation sent itself. */
    static final XsMessage REPLIED = new XsMessage(XsType.WATCH.code, 0, 0, NodeRequests.OK);

    private XsMessage answer(Connection conn, XsMessage msg) {
        byte[] reply;
        try {
            reply = dispatch(conn, msg);
        } catch (XsException e) {
            return XsMessage.error(msg, e.error());
        } catch (RuntimeException e) {
            LOG.error("{}: unexpected failure serving {}", conn, msg, e);
            return XsMessage.error(msg, XsError.EINVAL);
        }
        if (reply == null) {
            return null;
        }
        if (reply.length > XsMessage.PAYLOAD_MAX) {
            return XsMessage.error(msg, XsError.E2BIG);
        }
        return new XsMessage(msg.type, msg.reqId, msg.txId, reply);
    }

    /**
     * The {@code path-max} quota of this connection (C 4.22): its domain's; none ({@link Paths#UNLIMITED}) where
     * the quotas do not apply, as for C's socket connections, which have no domain.
     */
    private int pathMax(Connection conn) {
        if (!server.quotas().applies(conn)) {
            return Paths.UNLIMITED;
        }
        return Math.max(Paths.UNLIMITED, server.quotas().limit(conn.domid(), QuotaKind.PATH_MAX));
    }

    private Request request(Connection conn, XsMessage msg, Transaction tx) {
        QuotaPolicy q = server.quotas();
        return new Request(conn, msg, tx, server.store().live(), pathMax(conn), q.applies(conn) ? q : null);
    }

    private byte[] dispatch(Connection conn, XsMessage msg) {
        XsType type = msg.knownType();
        if (type == null) {
            throw XsError.ENOSYS.exception();
        }
        Transaction tx = null;
        if (msg.txId != 0 && !type.ignoresTransaction) {
            tx = conn.transactions().get(msg.txId);
            if (tx == null) {
                throw XsError.ENOENT.exception();
            }
        }
        if (type.privilegedOnly && !conn.privileged()) {
            throw XsError.EACCES.exception();
        }
        Request r = request(conn, msg, tx);
        switch (type) {
            case WATCH:
                return watches.watch(r);
            case UNWATCH:
                return watches.unwatch(r);
            case READ:
                return nodes.read(r);
            case WRITE:
                return nodes.write(r);
            case MKDIR:
                return nodes.mkdir(r);
            case RM:
                return nodes.rm(r);
            case DIRECTORY:
                return nodes.directory(r);
            case DIRECTORY_PART:
                return nodes.directoryPart(r);
            case GET_PERMS:
                return nodes.getPerms(r);
            case SET_PERMS:
                return nodes.setPerms(r);
            case TRANSACTION_START:
                return transactions.start(r);
            case TRANSACTION_END:
                return transactions.end(r);
            case RESET_WATCHES:
                return watches.reset(r);
            case GET_DOMAIN_PATH:
                return domains.getDomainPath(r);
            case IS_DOMAIN_INTRODUCED:
                return domains.isDomainIntroduced(r);
            case INTRODUCE:
                return domains.introduce(r);
            case RELEASE:
                return domains.release(r);
            case RESUME:
                return domains.resume(r);
            case SET_TARGET:
                return domains.setTarget(r);
            case GET_FEATURE:
                return domains.getFeature(r);
            case SET_FEATURE:
                return domains.setFeature(r);
            case GET_QUOTA:
                return quotas.get(r);
            case SET_QUOTA:
                return quotas.set(r);
            case CONTROL:
                return server.control().handle(conn, msg);
            default:
                // WATCH_EVENT and ERROR only flow from the daemon; RESTRICT was removed.
                throw XsError.ENOSYS.exception();
        }
    }
}
