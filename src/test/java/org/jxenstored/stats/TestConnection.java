package org.jxenstored.stats;

import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.server.TransportState;

/** A connection whose transport is a list, writable or not at the test's command, with a settable clock. */
class TestConnection extends Connection {
    final List<XsMessage> sent = new ArrayList<>();
    final String transport;
    boolean writable = true;
    long now;
    long unread;

    TestConnection(int domid, boolean privileged, Server server, String transport) {
        super(domid, privileged, server);
        this.transport = transport;
    }

    @Override
    protected long nanoTime() {
        return now;
    }

    @Override
    protected boolean transportWritable() {
        return writable;
    }

    @Override
    protected void transportWrite(XsMessage m) {
        sent.add(m);
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return transport;
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public TransportState transportState() {
        return new TransportState(16, 0, unread, !writable, "");
    }

    @Override
    protected void closeTransport() {
    }
}
