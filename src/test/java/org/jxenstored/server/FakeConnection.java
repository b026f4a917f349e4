package org.jxenstored.server;

import java.util.ArrayList;
import java.util.List;
import org.jxenstored.protocol.XsMessage;

/** A connection whose transport is a list, writable or not at the test's command, with a settable clock. */
class FakeConnection extends Connection {
    final List<XsMessage> sent = new ArrayList<>();
    boolean writable = true;
    long now;

    FakeConnection(int domid, boolean privileged, Server server) {
        super(domid, privileged, server);
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
        return "fake";
    }

    @Override
    protected void closeTransport() {
    }
}
