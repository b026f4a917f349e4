package org.jxenstored.control;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsError;

/** Dispatches XS_CONTROL payloads ({@code <command>|<args>...}) to registered commands. */
public final class Control {
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
                for (ControlCommand c : commands.values()) {
                    sb.append(c.name()).append('\t').append(c.usage()).append('\n');
                }
                return sb.toString();
            }
        });
    }

    public Control register(ControlCommand command) {
        commands.put(command.name(), command);
        return this;
    }

    /** Runs the command the payload names; an empty payload or unknown command is EINVAL. */
    public byte[] handle(byte[] payload) {
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
        return Payload.nulTerminated(c.run(args));
    }
}
