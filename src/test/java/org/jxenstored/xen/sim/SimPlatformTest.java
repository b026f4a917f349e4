package org.jxenstored.xen.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo mode's ring pages do not outlive the daemon; a directory the caller gave is the caller's. */
class SimPlatformTest {
    @TempDir
    Path tmp;

    @Test
    void aTemporaryDirectoryIsRemovedAtClose() throws Exception {
        SimPlatform p = SimPlatform.inTemporaryDirectory();
        p.createDomain(1);
        Path dir = Path.of(p.describe().replaceAll(".*ring pages in (.*)\\)$", "$1"));
        assertThat(dir.resolve("ring-1")).exists();
        p.close();
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void aGivenDirectoryIsKept() throws Exception {
        SimPlatform p = new SimPlatform(tmp.resolve("rings"));
        p.createDomain(1);
        p.close();
        assertThat(tmp.resolve("rings").resolve("ring-1")).exists();
    }
}
