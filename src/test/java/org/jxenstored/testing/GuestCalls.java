package org.jxenstored.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.xen.sim.SimGuest;

/** A simulated guest's requests as one-liners: the reply as text, "ERROR <name>" for errors. */
public final class GuestCalls {
    private GuestCalls() {
    }

    public static String ask(SimGuest g, XsType type, String... args) throws InterruptedException {
        return ask(g, type, 0, Payload.nulTerminated(args));
    }

    public static String ask(SimGuest g, XsType type, int tx, byte[] payload) throws InterruptedException {
        XsMessage reply = g.request(type, tx, payload);
        assertThat(reply).as("a reply to " + type).isNotNull();
        String text = new String(reply.payload, StandardCharsets.ISO_8859_1);
        if (reply.type == XsType.ERROR.code) {
            return "ERROR " + text.replace("\0", "");
        }
        return text.endsWith("\0") && text.indexOf('\0') == text.length() - 1 ? text.substring(0, text.length() - 1)
                : text;
    }

    /** WRITE: the value is not NUL-terminated on the wire. */
    public static String write(SimGuest g, String path, String value) throws InterruptedException {
        return ask(g, XsType.WRITE, 0, (path + "\0" + value).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The guest's watch events so far as "path|token", then forgotten. */
    public static List<String> takeEvents(SimGuest g) {
        List<String> out = g.events().stream()
                .map(m -> new String(m.payload, StandardCharsets.ISO_8859_1))
                .map(s -> s.substring(0, s.length() - 1).replace('\0', '|'))
                .collect(Collectors.toList());
        g.events().clear();
        return out;
    }
}
