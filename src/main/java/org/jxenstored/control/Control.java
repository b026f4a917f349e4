package org.jxenstored.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.server.Connection;
import org.jxenstored.server.ControlHandler;

/**
 * Dispatches XS_CONTROL payloads ({@code <command>|<args>...}) to registered commands. {@code help} lists C
 * xenstored's commands in C's order, then the others in registration order, then itself, one line each in C
 * 4.22's format ({@code %-15s %s}: the name padded with blanks, then the usage).
 */
public final class Control implements ControlHandler {
    /** C xenstored's commands, in the order its {@code help} lists them. */
    static final List<String> C_ORDER = List.of("check", "log", "live-update", "logfile", "memreport", "print",
            "quota", "quota-soft");

    private final Map<String, ControlCommand> commands = new LinkedHashMap<>();

    public Control() {
        register(new ControlCommand() {
            @Override
            public String name() {
                return "help";
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
                for (ControlCommand c : ordered()) {
                    sb.append(String.format("%-15s %s\n", c.name(), c.usage()));
                }
                return sb.toString();
            }
        });
    }

    /** Adds a command, or replaces the one registered under the same name. */
    public Control register(ControlCommand command) {
        commands.put(command.name(), command);
        return this;
    }

    /** The command registered under {@code name}, or null. */
    public ControlCommand command(String name) {
        return commands.get(name);
    }

    private List<ControlCommand> ordered() {
        List<ControlCommand> out = new ArrayList<>();
        for (String name : C_ORDER) {
            ControlCommand c = commands.get(name);
            if (c != null) {
                out.add(c);
            }
        }
        for (ControlCommand c : commands.values()) {
            if (!C_ORDER.contains(c.name()) && !"help".equals(c.name())) {
                out.add(c);
            }
        }
        out.add(commands.get("help"));
        return out;
    }

    /** Runs the command the payload names; an empty payload or unknown command is EINVAL. */
    @Override
    public byte[] handle(byte[] payload) {
        return handle(null, new XsMessage(XsType.CONTROL.code, 0, 0, payload));
    }

    /** As {@link #handle(byte[])}, for a request of {@code conn}; null when the command answers later. */
    @Override
    public byte[] handle(Connection conn, XsMessage request) {
        byte[] payload = request.payload;
        int count = Payload.countStrings(payload);
        if (count < 1) {
            throw XsError.EINVAL.exception();
        }
        String[] all = Payload.split(payload, count);
        ControlCommand c = commands.get(all[0]);
        if (c == null) {
            throw XsError.EINVAL.exception();
        }
        String[] args = new String[count - 1];
        System.arraycopy(all, 1, args, 0, args.length);
        String reply = c.run(args, conn, request);
        return reply == null ? null : Payload.nulTerminated(reply);
    }
}
