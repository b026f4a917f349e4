package org.jxenstored.xen.jna;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Whether Xen 4.17's runtime libraries are installed here (they are, with libxen-dev, on CI). */
final class InstalledLibraries {
    private static final List<String> SONAMES = List.of("libxenevtchn.so.1", "libxengnttab.so.1",
            "libxenforeignmemory.so.1", "libxenctrl.so.4.17");
    private static final List<Path> DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib64"), Path.of("/usr/lib"),
            Path.of("/usr/local/lib"));

    private InstalledLibraries() {
    }

    static boolean present() {
        return SONAMES.stream().allMatch(name -> DIRS.stream().anyMatch(dir -> Files.exists(dir.resolve(name))));
    }

    /** Skips the test (or fails it, with {@code JXS_REQUIRE_TOOLS=1}) unless the libraries are installed. */
    static void require() {
        AbiProbe.requireTool(present(), "the Xen 4.17 libraries " + SONAMES
                + " are not installed (Debian packages libxen-dev / libxenmisc4.17)");
    }
}
