package org.jxenstored.control;

import org.jxenstored.logging.ConnectionNames;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Connection;
import org.jxenstored.server.Server;
import org.jxenstored.watch.Watch;

/** {@code watches} (oxenstored): every registered watch, per connection: {@code watch <conn>: <path> <token>}. */
public final class WatchesCommand implements ControlCommand {
    private final Server server;

    public WatchesCommand(Server server) {
        this.server = server;
    }

    @Override
    public String name() {
        return "watches";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public String run(String[] args) {
        if (args.length != 0) {
            throw XsError.EINVAL.exception();
        }
        StringBuilder sb = new StringBuilder();
        for (Connection c : server.connections()) {
            String name = ConnectionNames.of(c);
            for (Watch w : c.watches().all()) {
                sb.append("watch ").append(name).append(": ").append(w.path()).append(' ').append(w.token())
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
