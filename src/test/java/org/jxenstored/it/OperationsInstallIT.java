package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jxenstored.it.OperationsInstall.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * scripts/install (with DESTDIR) and the directories it finds: /var/log/xen is Xen's (Debian's xen-utils-common makes
 * it 2750 root:adm) and must never be widened; it is created, 0750, only when missing. /etc/default/jxenstored is
 * installed only when missing. The launcher creates a missing log directory 0750 too, and leaves an existing one
 * alone.
 */
class OperationsInstallIT {
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = OperationsInstall.tempDir();
    }

    @AfterEach
    void tearDown() throws Exception {
        OperationsInstall.deleteTree(dir);
    }

    private static Result install(Path destdir) throws Exception {
        Result r = OperationsInstall.exec(List.of("scripts/install", "--no-cds"), Map.of("DESTDIR", destdir.toString()),
                Duration.ofMinutes(1));
        assertThat(r.rc()).as("scripts/install: %s", r.err()).isZero();
        return r;
    }

    /** The mode bits with set-user-id, set-group-id and sticky, as stat -c %a shows them. */
    private static String mode(Path p) throws Exception {
        return Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode") & 07777);
    }

    @Test
    void anExistingLogDirectoryKeepsItsModeAndGroup() throws Exception {
        Path logDir = dir.resolve("var/log/xen");
        Files.createDirectories(logDir);
        Result chmod = OperationsInstall.exec(List.of("chmod", "2750", logDir.toString()), Map.of(),
                Duration.ofSeconds(10));
        assertThat(chmod.rc()).as(chmod.err()).isZero();
        Result chgrp = OperationsInstall.exec(List.of("chgrp", "4", logDir.toString()), Map.of(),
                Duration.ofSeconds(10)); // adm on Debian; any group other than root's
        assertThat(chgrp.rc()).as(chgrp.err()).isZero();

        install(dir);
        assertThat(mode(logDir)).isEqualTo("2750");
        assertThat(Files.getAttribute(logDir, "unix:gid")).isEqualTo(4);
        install(dir); // and again, over an installation
        assertThat(mode(logDir)).isEqualTo("2750");

        assertThat(dir.resolve("usr/sbin/jxenstored")).isExecutable();
        assertThat(dir.resolve("usr/share/jxenstored/build-cds")).isExecutable();
    }

    @Test
    void aMissingLogDirectoryIsCreatedNotReadableByOthers() throws Exception {
        install(dir);
        assertThat(mode(dir.resolve("var/log/xen"))).isEqualTo("750");
    }

    @Test
    void etcDefaultJxenstoredIsInstalledOnlyWhenMissing() throws Exception {
        install(dir);
        Path defaults = dir.resolve("etc/default/jxenstored");
        assertThat(defaults).hasSameTextualContentAs(Path.of("conf/jxenstored.default"));
        Files.writeString(defaults, "JXENSTORED_JAVA_OPTS_EXTRA=-Xmx512m\n");
        install(dir);
        assertThat(defaults).hasContent("JXENSTORED_JAVA_OPTS_EXTRA=-Xmx512m");
    }

    @Test
    void theLauncherCreatesAMissingOutputDirectory0750AndLeavesAnExistingOneAlone() throws Exception {
        Path launcher = OperationsInstall.launcher();
        Path missing = dir.resolve("newlog");
        Path existing = dir.resolve("oldlog");
        Files.createDirectories(existing);
        Result chmod = OperationsInstall.exec(List.of("chmod", "2770", existing.toString()), Map.of(),
                Duration.ofSeconds(10));
        assertThat(chmod.rc()).as(chmod.err()).isZero();
        for (Path out : List.of(missing.resolve("jxenstored.out"), existing.resolve("jxenstored.out"))) {
            Map<String, String> env = new java.util.HashMap<>(OperationsInstall.env(dir));
            env.put("JXENSTORED_OUT", out.toString());
            // an invalid option: the launcher prepares its output file, then the daemon refuses to start (status 2)
            Result r = OperationsInstall.exec(List.of(launcher.toString(), "--no-such-option"), env,
                    Duration.ofMinutes(1));
            assertThat(r.rc()).as(r.err()).isEqualTo(2);
            assertThat(out).exists();
        }
        assertThat(mode(missing)).isEqualTo("750");
        assertThat(mode(existing)).isEqualTo("2770");
    }
}
