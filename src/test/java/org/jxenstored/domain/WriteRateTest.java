package org.jxenstored.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jxenstored.testing.SimHost;
import org.jxenstored.wire.XsTestClient;
import org.jxenstored.xen.sim.SimGuest;
import org.junit.jupiter.api.Test;

/**
 * XSA-206: a guest writing a node in a loop must not starve the toolstack's transactions on that node. The guest
 * is slowed to the write rate (200 changes/s by default); Dom0's read-modify-write transactions keep succeeding.
 */
class WriteRateTest extends GuestTestSupport {
    @Override
    SimHost startSimHost() {
        return SimHost.start(l -> { }, new DomainOptions());
    }

    @Test
    void aHostileWriterCannotStarveDom0Transactions() throws Exception {
        SimGuest hostile = bootGuest(5);
        ok(dom0.write("/contended", "0"));
        ok(dom0.setPerms("/contended", "n0", "b5"));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger guestWrites = new AtomicInteger();
        Thread attacker = new Thread(() -> {
            try {
                while (!stop.get()) {
                    write(hostile, "/contended", "guest" + guestWrites.incrementAndGet());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        attacker.start();
        int committed = 0;
        int attempts = 0;
        long start = System.nanoTime();
        try {
            // At least 200 transactions and at least a second, so that the guest's burst does not dominate.
            for (int i = 0; i < 200 || System.nanoTime() - start < 1_000_000_000L; i++) {
                attempts++;
                int tx = dom0.startTransaction();
                dom0.read(tx, "/contended");
                dom0.write(tx, "/contended", "dom0-" + i);
                if (dom0.endTransaction(tx, true).text().equals("OK\0")) {
                    committed++;
                }
            }
        } finally {
            stop.set(true);
            attacker.join(5000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double guestRate = guestWrites.get() / seconds;
        System.out.printf("XSA-206: dom0 committed %d/%d transactions while the guest wrote %.0f/s%n", committed,
                attempts, guestRate);
        assertThat(guestRate).as("the guest is held near the write rate").isLessThan(400);
        // Measured here: 80-90% commit while the guest is held at ~250 changes/s (burst included); without the
        // limit the guest writes thousands per second and Dom0's read-modify-write mostly fails. The bound leaves
        // room for a loaded CI machine, where Dom0's own round trips are slower.
        assertThat(committed).as("Dom0's transactions still commit").isGreaterThanOrEqualTo(attempts * 6 / 10);
    }

    @Test
    void withoutTheLimitTheSameGuestWritesMuchFaster() throws Exception {
        host.close();
        host = SimHost.start(l -> l.writeRatePerSecond = 0, new DomainOptions());
        dom0.close();
        dom0 = XsTestClient.connect(host.socketPath());
        SimGuest g = bootGuest(5);
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - start < 300_000_000L) {
            write(g, "w", Integer.toString(n++));
        }
        assertThat(n / 0.3).as("unlimited writes are far above the default rate").isGreaterThan(1000);
    }
}
