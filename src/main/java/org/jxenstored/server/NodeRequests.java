package org.jxenstored.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.store.Access;
import org.jxenstored.store.ChangeSink;
import org.jxenstored.store.Mutation;
import org.jxenstored.store.Node;
import org.jxenstored.store.Perms;

/** The requests on nodes: READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS. */
final class NodeRequests {
    static final byte[] OK = Payload.nulTerminated("OK");

    private final ChangeSink events;
    private final SpecialNodes specialNodes;
    private final PermissionArguments permissionArguments;
    private final OpenTransactions transactions;
    private final Server server;

    NodeRequests(ChangeSink events, SpecialNodes specialNodes, Server server) {
        this.events = events;
        this.specialNodes = specialNodes;
        this.permissionArguments = new PermissionArguments(server);
        this.transactions = server.transactions();
        this.server = server;
    }

    byte[] read(Request r) {
        String path = r.pathArg();
        r.read(path);
        return Access.require(r.tree(), r.conn, path, Perms.READ).value();
    }

    byte[] write(Request r) {
        byte[] p = r.msg.payload;
        int nul = Payload.indexOfNul(p, 0);
        if (nul < 0) {
            throw XsError.EINVAL.exception();
        }
        String path = r.path(Payload.ascii(p, 0, nul));
        byte[] value = Arrays.copyOfRange(p, nul + 1, p.length);
        change(r, new Mutation.Write(path, value));
        return OK;
    }

    byte[] mkdir(Request r) {
        String path = r.pathArg();
        change(r, new Mutation.Mkdir(path));
        return OK;
    }

    byte[] rm(Request r) {
        String path = r.pathArg();
        change(r, new Mutation.Remove(path));
        return OK;
    }

    /**
     * Makes a change: at once on the live tree (its watches fire now), or in the request's transaction (charged to
     * the domain while it is open; its watches fire at commit).
     */
    private void change(Request r, Mutation m) {
        if (r.tx == null) {
            m.apply(r.tree(), r.conn, events);
        } else {
            transactions.apply(r.conn, r.tx, m);
        }
    }

    byte[] directory(Request r) {
        String path = r.pathArg();
        r.read(path);
        return Access.require(r.tree(), r.conn, path, Perms.READ).childNamesInOrder();
    }

    /**
     * DIRECTORY_PART {@code <path>|<offset>|}: {@code <generation>|} then as many whole child names from the byte
     * offset as fit; the final chunk ends with an extra NUL, as C xenstored sends it.
     */
    byte[] directoryPart(Request r) {
        String[] args = Payload.split(r.msg.payload, 2);
        String path = r.path(args[0]);
        long offset = CNumbers.atoiUnsigned(args[1]);
        r.read(path);
        Node node = Access.require(r.tree(), r.conn, path, Perms.READ);
        byte[] names = node.childNamesInOrder();
        byte[] gen = Long.toString(node.generation()).getBytes(StandardCharsets.US_ASCII);
        int genLen = gen.length + 1;
        if (offset >= names.length) {
            byte[] out = new byte[genLen + 1];
            System.arraycopy(gen, 0, out, 0, gen.length);
            return out;
        }
        int off = (int) offset;
        int max = XsMessage.PAYLOAD_MAX - genLen - 1;
        int len = 0;
        while (off + len < names.length) {
            int end = Payload.indexOfNul(names, off + len);
            int entry = end - (off + len) + 1;
            if (len + entry > max) {
                break;
            }
            len += entry;
        }
        boolean last = off + len == names.length;
        byte[] out = new byte[genLen + len + (last ? 1 : 0)];
        System.arraycopy(gen, 0, out, 0, gen.length);
        System.arraycopy(names, off, out, genLen, len);
        return out;
    }

    /** GET_PERMS, also of the special nodes {@code @introduceDomain} and {@code @releaseDomain} (C 4.22). */
    byte[] getPerms(Request r) {
        String path = r.specialPath(Payload.single(r.msg.payload));
        if (path.charAt(0) == '@') {
            return specialNodes.require(r.conn, path, Perms.READ, r.tree()).wire();
        }
        r.read(path);
        return Access.require(r.tree(), r.conn, path, Perms.READ).perms().wire();
    }

    byte[] setPerms(Request r) {
        String[] all = Payload.terminatedStrings(r.msg.payload);
        if (all.length < 2) {
            throw XsError.EINVAL.exception();
        }
        Perms perms = permissionArguments.parse(r.conn, Arrays.copyOfRange(all, 1, all.length));
        String path = r.specialPath(all[0]);
        if (path.charAt(0) == '@') {
            return setSpecialPerms(r, path, perms);
        }
        change(r, new Mutation.SetPerms(path, perms));
        return OK;
    }

    /** SET_PERMS on {@code @introduceDomain} / {@code @releaseDomain}: who may hear those events. */
    private byte[] setSpecialPerms(Request r, String special, Perms perms) {
        Perms current = specialNodes.require(r.conn, special, Perms.WRITE, r.tree());
        if (!Access.owns(r.conn, current)) {
            throw XsError.EACCES.exception();
        }
        if (!r.conn.privileged() && perms.owner() != current.owner()) {
            throw XsError.EPERM.exception();
        }
        specialNodes.setPerms(special, perms);
        server.persistence().domainStateChanged();
        return OK;
    }
}
