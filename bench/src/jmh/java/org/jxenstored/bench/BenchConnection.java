package org.jxenstored.bench;

import org.jxenstored.protocol.XsMessage;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;

/** A connection whose transport only counts what it is given: the benchmarks measure the daemon, not I/O. */
final class BenchConnection extends Connection {
    long messages;

    BenchConnection(Server server) {
        super(0, true, server);
    }

    @Override
    protected boolean transportWritable() {
        return true;
    }

    @Override
    protected void transportWrite(XsMessage m) {
        messages++;
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return "bench";
    }

    @Override
    protected void closeTransport() {
    }
}
