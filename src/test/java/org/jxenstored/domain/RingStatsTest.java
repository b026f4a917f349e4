package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jxenstored.protocol.Payload;
import org.jxenstored.protocol.XsMessage;
import org.jxenstored.protocol.XsType;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees of guests on their rings ({@code stats}, {@code connections}, {@code xenbus}): a guest that
 * stops reading its replies is the slowest reader, held at its {@code outstanding} quota with its requests left in
 * its ring; a guest writing in a loop waits for write credit.
 */
class RingStatsTest extends GuestTestSupport {
    private String control(String... command) {
        XsTestClient.Msg m = dom0.request(XsTestClient.CONTROL, XsTestClient.nul(command));
        String text = m.text();
        text = text.endsWith("\0") ? text.substring(0, text.length() - 1) : text;
        return m.type() == XsTestClient.ERROR ? "ERROR " + text : text;
    }

    private Map<String, String> stats() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : control("stats").split("\n")) {
            String[] kv = line.split("\t");
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    @Test
    void aGuestThatStopsReadingIsTheSlowestReaderAndIsHeldAtItsOutstandingQuota() throws Exception {
        SimGuest g = bootGuest(5);
        ok(dom0.write("/local/domain/5/big", "x".repeat(2000)));
        int sent = 0;
        for (int i = 0; i < 40; i++) { // 20 bytes each: they all fit in the request ring
            g.send(new XsMessage(XsType.READ.code, i, 0, Payload.nulTerminated("big")));
            sent++;
        }
        Thread.sleep(200);

        String table = control("connections");
        System.out.println("connections, a guest that stopped reading:\n" + table);
        String[] conns = table.split("\n");
        assertThat(conns[0]).startsWith("conn ");
        assertThat(conns[1]).as("the slowest reader first: " + String.join("\n", conns)).startsWith("D5 ")
                .contains(" ring ").endsWith("paused");
        String[] cols = conns[1].trim().split("\\s+");
        // conn domid via watches tx queued_B events replies unread_B oldest_ms requests throttle age_s state
        assertThat(cols[1]).isEqualTo("5");
        assertThat(Integer.parseInt(cols[7])).as("replies waiting: the outstanding quota").isEqualTo(20);
        assertThat(Long.parseLong(cols[8])).as("unread in the ring and the output buffer").isPositive();
        assertThat(Long.parseLong(cols[9])).as("oldest waiting, ms").isGreaterThanOrEqualTo(150);
        int served = Integer.parseInt(cols[10]);
        assertThat(served).isLessThan(sent);

        String xenbus = control("xenbus", "5");
        System.out.println("xenbus 5:\n" + xenbus);
        assertThat(xenbus).startsWith("xenbus: XenBus state: partial_in: ")
                .contains("pkt_out: 20 packets")
                .contains("BoundedQueue capacity: 1044, used: {\twatch_event: 0\tcommand_reply: 20}")
                .contains("overflow queue length: 0, can_input: false, has_more_input: true, has_old_output: true, "
                        + "has_new_output: true, has_more_work: false.")
                .contains("pending: Watches with pending events: 0, pending events total: 0")
                .contains("; jxenstored: oldest waiting ");
        Map<String, String> s = stats();
        assertThat(s).containsEntry("quota_refusals_outstanding", "1").containsEntry("connections_ring", "2") // and Dom0's own
                .containsEntry("outstanding_replies", "20").containsEntry("domain_5_requests",
                        Integer.toString(served));
        assertThat(Long.parseLong(s.get("oldest_waiting_ms"))).isGreaterThanOrEqualTo(150);
        assertThat(Long.parseLong(s.get("queued_output_bytes"))).isGreaterThanOrEqualTo(20 * 2016);

        for (int i = 0; i < sent; i++) {
            XsMessage reply = g.receive(5000);
            assertThat(reply).as("reply " + i).isNotNull();
            assertThat(reply.payload).hasSize(2000);
        }
        s = stats();
        assertThat(s).containsEntry("outstanding_replies", "0").containsEntry("oldest_waiting_ms", "0")
                .containsEntry("domain_5_requests", Integer.toString(sent));
        // each time its waiting replies reached the quota again while it read them one by one
        assertThat(Long.parseLong(s.get("quota_refusals_outstanding"))).isGreaterThan(1);
        assertThat(control("connections").split("\n")[1]).doesNotContain("paused");
    }

    @Test
    void aGuestWritingInALoopWaitsForWriteCredit() throws Exception {
        SimGuest g = bootGuest(6);
        for (int i = 0; i < 40; i++) {
            assertThat(write(g, "w", Integer.toString(i))).isEqualTo("OK");
        }
        Map<String, String> s = stats();
        assertThat(Long.parseLong(s.get("write_throttled"))).isPositive();
        assertThat(Long.parseLong(s.get("write_throttled_ms"))).isPositive();
        String d6 = java.util.Arrays.stream(control("connections").split("\n")).filter(l -> l.startsWith("D6 "))
                .findFirst().orElseThrow();
        assertThat(Long.parseLong(d6.trim().split("\\s+")[11])).as("throttle column").isPositive();
        assertThat(control("xenbus", "6")).contains("write-credit waits ");
    }

    @Test
    void xenbusOfADomainWithoutARingIsEnoent() {
        assertThat(control("xenbus", "42")).isEqualTo("ERROR ENOENT");
        assertThat(control("xenbus")).isEqualTo("ERROR EINVAL");
    }
}
