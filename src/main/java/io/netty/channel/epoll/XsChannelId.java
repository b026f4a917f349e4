package io.netty.channel.epoll;

import io.netty.channel.ChannelId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's id: a number counted up in this process. Netty's default id is unique across hosts (MAC address,
 * pid, time, a random number): its first use enumerates the network interfaces (a few ms of every start) and each
 * costs a 28-byte array and a random number per connection; nobody here compares ids across processes.
 */
final class XsChannelId implements ChannelId {
    private static final long serialVersionUID = 1L;
    private static final AtomicLong NEXT = new AtomicLong();
    private final long id;

    private XsChannelId(long id) {
        this.id = id;
    }

    static ChannelId next() {
        return new XsChannelId(NEXT.incrementAndGet());
    }

    @Override
    public String asShortText() {
        return Long.toHexString(id);
    }

    @Override
    public String asLongText() {
        return asShortText();
    }

    @Override
    public int compareTo(ChannelId o) {
        return o instanceof XsChannelId ? Long.compare(id, ((XsChannelId) o).id)
                : asLongText().compareTo(o.asLongText());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XsChannelId && ((XsChannelId) o).id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return asShortText();
    }
}
