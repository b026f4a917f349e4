package org.jxenstored.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jxenstored.testing.GuestCalls.ask;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.testing.SimHost;
import org.jxenstored.testing.SimToolstack;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;

/**
 * Random sequences of requests from a socket client and two simulated guests, with a simulated crash (the daemon's
 * process state discarded, its files kept) after every step, sometimes with a torn last journal frame (a write
 * killed halfway: a change never acknowledged). After each restart the store must equal the model of every
 * acknowledged change, with nothing of the torn write; each guest's watches fire (none lost); a guest request in
 * flight at the crash gets exactly one reply, and replies waiting at the crash arrive once, in order; a transaction open at the crash fails with EAGAIN; the daemon's invariants hold.
 */
class CrashRecoveryModelTest {
    private static final int[] GUESTS = {1, 2};
    private static final int KEYS = 3;

    enum Kind {
        SOCKET_WRITE, SOCKET_RM, GUEST_WRITE, GUEST_RM, GUEST_ASYNC_WRITE, GUEST_WRITE_WHILE_DEAD, GUEST_WATCH,
        GUEST_TX,
        /** A request bigger than the ring, half sent at the crash (the daemon holds its first part). */
        GUEST_SPLIT_WRITE,
        /** Replies waiting for the guest to read them at the crash (its response ring full). */
        GUEST_BACKLOG
    }

    private static final int BACKLOG = 5;

    record Step(Kind kind, int guest, int key, int value, boolean tearJournal) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.of(GUESTS[0], GUESTS[1]),
                Arbitraries.integers().between(0, KEYS - 1), Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 3).map(i -> i == 0)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(6);
    }

    /** Small journals make snapshots (in the migration stream format) part of most recoveries. */
    @Provide
    Arbitrary<Long> snapshotAfter() {
        return Arbitraries.of(300L, 3000L, Durability.MIN_COMPACT_BYTES);
    }

    @Property(tries = 20)
    void everyAcknowledgedChangeSurvivesEveryCrash(@ForAll("steps") List<Step> steps,
            @ForAll("snapshotAfter") long snapshotAfter) throws Exception {
        try (SimHost host = SimHost.startKeepingState(snapshotAfter)) {
            Map<Integer, SimGuest> guests = new HashMap<>();
            try (XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
                for (int g : GUESTS) {
                    SimGuest guest = host.createGuest(g);
                    SimToolstack.boot(dom0, guest);
                    assertThat(ask(guest, XsType.MKDIR, "data")).isEqualTo("OK");
                    guests.put(g, guest);
                }
                assertThat(dom0.write("/data", "").value()).isEqualTo("OK");
            }
            Map<String, String> model = new TreeMap<>();
            Map<Integer, Set<String>> watches = new HashMap<>();
            int reqId = 5000;
            for (Step s : steps) {
                SimGuest guest = guests.get(s.guest());
                String home = "/local/domain/" + s.guest() + "/data/k" + s.key();
                int pendingId = -1;
                int openTx = -1;
                List<String> expectedReplies = new ArrayList<>();
                byte[] rest = null;
                String bigValue = "x".repeat(900) + s.value();
                try (XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
                    switch (s.kind()) {
                        case SOCKET_WRITE:
                            assertThat(dom0.write("/data/k" + s.key(), "v" + s.value()).value()).isEqualTo("OK");
                            model.put("/data/k" + s.key(), "v" + s.value());
                            break;
                        case SOCKET_RM:
                            dom0.request(XsTestClient.RM, XsTestClient.nul("/data/k" + s.key()));
                            model.remove("/data/k" + s.key());
                            break;
                        case GUEST_WRITE:
                            assertThat(ask(guest, XsType.WRITE, 0, Payload.nulTerminated("data/k" + s.key(),
                                    "g" + s.value()))).isEqualTo("OK");
                            model.put(home, "g" + s.value());
                            break;
                        case GUEST_RM:
                            ask(guest, XsType.RM, "data/k" + s.key());
                            model.remove(home);
                            break;
                        case GUEST_ASYNC_WRITE:
                            pendingId = reqId++;
                            guest.send(new XsMessage(XsType.WRITE.code, pendingId, 0,
                                    Payload.nulTerminated("data/k" + s.key(), "a" + s.value())));
                            break;
                        case GUEST_WRITE_WHILE_DEAD:
                            pendingId = reqId++;
                            break;
                        case GUEST_SPLIT_WRITE: {
                            byte[] frame = frame(new XsMessage(XsType.WRITE.code, reqId, 0,
                                    Payload.nulTerminated("data/k" + s.key(), bigValue + bigValue)));
                            int first = 700 + s.value();
                            guest.sendBytes(java.util.Arrays.copyOf(frame, first), 5000);
                            rest = java.util.Arrays.copyOfRange(frame, first, frame.length);
                            pendingId = reqId++;
                            awaitConsumed(guest);
                            break;
                        }
                        case GUEST_BACKLOG:
                            assertThat(ask(guest, XsType.WRITE, 0, Payload.nulTerminated("data/k" + s.key(),
                                    bigValue))).isEqualTo("OK");
                            model.put(home, bigValue);
                            for (int i = 0; i < BACKLOG; i++) {
                                guest.send(new XsMessage(XsType.READ.code, reqId, 0,
                                        Payload.nulTerminated("data/k" + s.key())));
                                expectedReplies.add(reqId++ + " " + bigValue + "\0"); // the value as written: NUL-terminated
                            }
                            awaitConsumed(guest);
                            break;
                        case GUEST_WATCH:
                            String token = "t" + s.key();
                            String r = ask(guest, XsType.WATCH, "data/k" + s.key(), token);
                            if (watches.computeIfAbsent(s.guest(), g -> new HashSet<>()).add(token)) {
                                assertThat(r).isEqualTo("OK");
                            } else {
                                assertThat(r).isEqualTo("ERROR EEXIST");
                            }
                            break;
                        default:
                            openTx = Integer.parseInt(ask(guest, XsType.TRANSACTION_START, ""));
                            assertThat(ask(guest, XsType.WRITE, openTx, Payload.nulTerminated("data/k" + s.key(),
                                    "tx"))).isEqualTo("OK");
                    }
                }
                // what the guests receive before the crash and after the restart, together: the reply to the request
                // in flight once, a new watch's first event, and each watch's event after the restart once
                Map<Integer, List<XsMessage>> got = new HashMap<>();
                for (int g : GUESTS) {
                    got.put(g, new ArrayList<>(guests.get(g).events()));
                    guests.get(g).events().clear();
                    if (g == s.guest() && s.kind() == Kind.GUEST_BACKLOG) {
                        continue; // its replies wait in the daemon across the crash
                    }
                    for (XsMessage m; (m = guests.get(g).receive(30)) != null;) {
                        got.get(g).add(m);
                    }
                }
                int whileDead = s.kind() == Kind.GUEST_WRITE_WHILE_DEAD ? pendingId : -1;
                host.crashAndRestart(() -> {
                    if (s.tearJournal()) {
                        tearJournal(host.stateDir(), s.value());
                    }
                    if (whileDead >= 0) {
                        try {
                            guest.send(new XsMessage(XsType.WRITE.code, whileDead, 0,
                                    Payload.nulTerminated("data/k" + s.key(), "a" + s.value())));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                if (rest != null) {
                    guest.sendBytes(rest, 5000); // the rest of the request the dead daemon had begun to read
                }
                for (int g : GUESTS) {
                    for (XsMessage m; (m = guests.get(g).receive(300)) != null;) {
                        got.get(g).add(m);
                    }
                    List<String> replies = new ArrayList<>();
                    List<String> events = new ArrayList<>();
                    for (XsMessage m : got.get(g)) {
                        String p = new String(m.payload, StandardCharsets.ISO_8859_1);
                        if (m.type == XsType.WATCH_EVENT.code) {
                            events.add(p.substring(p.indexOf('\0') + 1, p.length() - 1));
                        } else {
                            replies.add(m.reqId + " " + p);
                        }
                    }
                    // every watch fires after the restart; an event in flight at the crash may come twice (safe by
                    // protocol: a watch event says "look again"), but none is lost and none is made up
                    assertThat(new HashSet<>(events)).as("guest %d's watches fire", g)
                            .isEqualTo(watches.getOrDefault(g, Set.of()));
                    if (g == s.guest() && s.kind() == Kind.GUEST_SPLIT_WRITE) {
                        assertThat(replies).as("the request begun before the crash is answered once")
                                .containsExactly(pendingId + " OK\0");
                        model.put(home, bigValue + bigValue);
                    } else if (g == s.guest() && pendingId >= 0) {
                        assertThat(replies).as("the request in flight at the crash is answered once")
                                .containsExactly(pendingId + " OK\0");
                        model.put(home, "a" + s.value());
                    } else if (g == s.guest() && !expectedReplies.isEmpty()) {
                        assertThat(replies).as("the replies waiting at the crash arrive once, in order")
                                .containsExactlyElementsOf(expectedReplies);
                    } else {
                        assertThat(replies).as("guest %d gets no reply it did not ask for", g).isEmpty();
                    }
                }
                if (openTx >= 0) {
                    assertThat(ask(guest, XsType.TRANSACTION_END, openTx, Payload.nulTerminated("T")))
                            .isEqualTo("ERROR EAGAIN");
                }
                try (XsTestClient dom0 = XsTestClient.connect(host.socketPath())) {
                    assertThat(storeData(dom0)).as("after %s", s).isEqualTo(model);
                }
                assertThat(host.onStore(() -> host.server().check())).isEmpty();
            }
            if (snapshotAfter < 1000) {
                assertThat(new StateDir(host.stateDir(), "").snapshots().last()).as("snapshots were written").isGreaterThan(1);
            }
        }
    }

    private static byte[] frame(XsMessage m) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        org.jxenstored.transport.FrameParser.write(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** Waits until the daemon has taken everything the guest put in its request ring. */
    private static void awaitConsumed(SimGuest guest) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (guest.page().reqCons() != guest.page().reqProd() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(guest.page().reqCons()).as("the daemon took the request bytes").isEqualTo(guest.page().reqProd());
        Thread.sleep(20); // and served what it could
    }

    /** Every key under /data and each guest's data, with its value. */
    private static Map<String, String> storeData(XsTestClient dom0) {
        Map<String, String> out = new TreeMap<>();
        List<String> dirs = new ArrayList<>(List.of("/data"));
        for (int g : GUESTS) {
            dirs.add("/local/domain/" + g + "/data");
        }
        for (String d : dirs) {
            XsTestClient.Msg list = dom0.request(XsTestClient.DIRECTORY, XsTestClient.nul(d));
            for (String child : list.strings()) {
                if (!child.isEmpty()) {
                    out.put(d + "/" + child, dom0.read(d + "/" + child).value());
                }
            }
        }
        return out;
    }

    /**
     * Appends to the newest journal the beginning of a frame that would create /data/phantom: what a process killed
     * in the middle of its write leaves. Its reply never went out, so the restart must not apply any of it.
     */
    static void tearJournal(Path stateDir, int cut) {
        try {
            StateDir dir = new StateDir(stateDir, StateDir.currentBootId());
            Path journal = dir.journal(dir.journals().last());
            RecordBuffer b = new RecordBuffer(256);
            b.u8(Records.NODE).str("/data/phantom").bytes("torn".getBytes(StandardCharsets.US_ASCII)).u32(1).u32(0)
                    .u8(0).u64(1L << 40).u64(1L << 40);
            ByteBuffer payload = b.contents();
            CRC32C crc = new CRC32C();
            crc.update(payload.duplicate());
            ByteBuffer frame = ByteBuffer.allocate(8 + payload.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            frame.putInt(payload.remaining()).putInt((int) crc.getValue()).put(payload).flip();
            frame.limit(1 + cut % (frame.limit() - 1)); // never the whole frame: the write was cut short
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.APPEND)) {
                ch.write(frame);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
