package org.jxenstored.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLibrariesOfThisMachineAndTheJarsStampAsStatPrintsIt() throws Exception {
        Path jar = dir.resolve("x.jar");
        Files.write(jar, new byte[1234]);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.ofEpochSecond(1_700_000_000L, 900_000_000)));
        Path out = dir.resolve("x.native");

        assertThat(NativeLibraryFiles.write(jar, out)).isEqualTo(2);

        assertThat(Files.readString(out.resolve(NativeLibraryFiles.STAMP))).isEqualTo("1234 1700000000\n");
        for (String[] lib : NativeLibraryFiles.libraries()) {
            assertThat(out.resolve(lib[1])).as(lib[0]).isRegularFile();
            try (var in = NativeLibraryFiles.class.getClassLoader().getResourceAsStream(lib[0])) {
                assertThat(Files.readAllBytes(out.resolve(lib[1]))).as(lib[0]).isEqualTo(in.readAllBytes());
            }
        }
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(NativeLibraryFiles.STAMP, "libjnidispatch.so",
                            System.mapLibraryName("netty_transport_native_epoll_"
                                    + io.netty.util.internal.PlatformDependent.normalizedArch()));
        }
    }

    @Test
    void aSecondWriteReplacesTheFilesAndTheStamp() throws Exception {
        Path jar = dir.resolve("x.jar");
        Files.write(jar, new byte[10]);
        Path out = dir.resolve("x.native");
        NativeLibraryFiles.write(jar, out);
        Files.write(jar, new byte[20]);

        NativeLibraryFiles.write(jar, out);

        assertThat(Files.readString(out.resolve(NativeLibraryFiles.STAMP))).startsWith("20 ");
    }
}
