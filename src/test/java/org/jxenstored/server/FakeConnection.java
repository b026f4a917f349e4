package org.jxenstored.server;

import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsMessage;

/**
 * A connection whose transport is a list, writable or not at the test's command, with a settable clock and, for the
 * statistics, a transport name and a count of bytes the transport holds unread.
 */
public class FakeConnection extends Connection {
    public final List<XsMessage> sent = new ArrayList<>();
    public final String transport;
    public boolean writable = true;
    public long now;
    public long unread;

    public FakeConnection(int domid, boolean privileged, Server server) {
        this(domid, privileged, server, "fake");
    }

    public FakeConnection(int domid, boolean privileged, Server server, String transport) {
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
