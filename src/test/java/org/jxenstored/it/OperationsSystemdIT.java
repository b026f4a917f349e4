package org.jxenstored.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jxenstored.it.OperationsInstall.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The systemd units as installed (scripts/install, DESTDIR) checked by systemd-analyze verify against that root:
 * jxenstored.service, and Xen's xenstored.service with jxenstored's drop-in. The notification itself is tested in
 * OperationsLauncherIT and SystemdNotifyTest.
 */
class OperationsSystemdIT {
    static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    static Path root;

    @BeforeAll
    static void prepareRoot() throws Exception {
        ExternalTools.requireExecutable(SYSTEMD_ANALYZE, "systemd");
        root = OperationsInstall.root();
        // what verify needs besides our files: systemd's own units, the executables the units name, Xen's unit
        Path sys = root.resolve("usr/lib/systemd/system");
        if (!Files.isDirectory(sys)) {
            Files.createDirectories(sys.getParent());
            Result cp = OperationsInstall.exec(List.of("cp", "-r", "/usr/lib/systemd/system", sys.toString()),
                    Map.of(), Duration.ofSeconds(30));
            assertThat(cp.rc()).as(cp.err()).isZero();
        }
        for (String exe : List.of("bin/kill", "bin/grep")) {
            Files.createDirectories(root.resolve(exe).getParent());
            Files.copy(Path.of("/" + exe), root.resolve(exe), StandardCopyOption.REPLACE_EXISTING);
        }
        Path launch = root.resolve("etc/xen/scripts/launch-xenstore");
        Files.createDirectories(launch.getParent());
        Files.writeString(launch, "#!/bin/sh\n");
        launch.toFile().setExecutable(true);
        Files.copy(Path.of("src/test/resources/ops/xenstored.service"), root.resolve("lib/systemd/system/xenstored.service"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("src/test/resources/ops/proc-xen.mount"), root.resolve("lib/systemd/system/proc-xen.mount"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static Result verify(String unit) throws Exception {
        return OperationsInstall.exec(List.of(SYSTEMD_ANALYZE.toString(), "verify", "--man=no", "--generators=no",
                "--root=" + root, unit), Map.of("SYSTEMD_LOG_COLOR", "0"), Duration.ofSeconds(60));
    }

    @Test
    void jxenstoredServiceVerifiesCleanly() throws Exception {
        Result r = verify("jxenstored.service");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err().strip()).as("systemd-analyze warnings").isEmpty();
    }

    @Test
    void xenstoredServiceWithTheDropInVerifiesCleanly() throws Exception {
        Result r = verify("xenstored.service");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(r.err().strip()).as("systemd-analyze warnings").isEmpty();
    }

    @Test
    void everyDocumentationLinkOfTheUnitsNamesAnInstalledFile() throws Exception {
        for (String unit : List.of("lib/systemd/system/jxenstored.service",
                "lib/systemd/system/xenstored.service.d/jxenstored.conf")) {
            String text = Files.readString(root.resolve(unit));
            List<String> links = text.lines().filter(l -> l.startsWith("Documentation="))
                    .flatMap(l -> java.util.Arrays.stream(l.substring("Documentation=".length()).split("\\s+")))
                    .toList();
            assertThat(links).as(unit).isNotEmpty();
            for (String link : links) {
                assertThat(link).as(unit).startsWith("file:///");
                assertThat(root.resolve(link.substring("file:///".length()))).as("%s: %s", unit, link).isRegularFile();
            }
            assertThat(text).as(unit).contains("SyslogIdentifier=jxenstored");
        }
    }

    @Test
    void theDropInMakesXenstoredServiceRunJxenstored() throws Exception {
        Result r = OperationsInstall.exec(List.of("systemctl", "--root=" + root, "cat", "xenstored.service"),
                Map.of("SYSTEMD_PAGER", "cat"), Duration.ofSeconds(30));
        if (r.rc() == 0) {
            assertThat(r.out()).contains("xenstored.service.d/jxenstored.conf")
                    .contains("ExecStart=/usr/sbin/jxenstored -N");
        }
        String dropIn = Files.readString(root.resolve("lib/systemd/system/xenstored.service.d/jxenstored.conf"));
        assertThat(dropIn).contains("ExecStart=\n").contains("ExecStart=/usr/sbin/jxenstored -N --pid-file")
                .contains("Type=notify").contains("NotifyAccess=all");
    }
}
