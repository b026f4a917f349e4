package org.jxenstored.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.jxenstored.testing.TestDaemon;
import org.jxenstored.wire.XsTestClient;
import org.junit.jupiter.api.Test;

/** scripts/build-cds's training requests are all answered by a real daemon, which they leave as they found it. */
class ArchiveTrainingTest {
    @Test
    void everyTrainingRequestIsAnsweredAndTheTreeIsLeftAsItWas() throws Exception {
        try (TestDaemon daemon = TestDaemon.start()) {
            ArchiveTraining.main(new String[] {daemon.socketPath().toString()});

            try (XsTestClient c = XsTestClient.connect(daemon.socketPath())) {
                assertThat(c.read("/training").isError()).as("removed again").isTrue();
            }
        }
    }
}
