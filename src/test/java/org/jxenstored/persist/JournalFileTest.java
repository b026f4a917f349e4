package org.jxenstored.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where what was written ends: the mapped room after it is zeros; anything else after it is a torn frame. */
class JournalFileTest {
    @TempDir
    Path dir;

    private Path journalWithTwoFrames() throws Exception {
        Path f = dir.resolve("journal.1");
        try (JournalFile j = JournalFile.create(f, "boot", 1)) {
            j.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            j.append(ByteBuffer.wrap(new byte[] {4, 5, 6, 7, 8, 9, 10, 11, 12}));
        }
        return f;
    }

    @Test
    void theZerosOfTheMappedRoomAreNotATornFrame() throws Exception {
        JournalFile.Contents c = JournalFile.read(journalWithTwoFrames());

        assertThat(c.frames()).hasSize(2);
        assertThat(c.validEnd()).isEqualTo(JournalFile.HEADER + 8 + 3 + 8 + 9);
        assertThat(c.torn()).isFalse();
        assertThat(c.fileSize()).isEqualTo(c.validEnd());
    }

    @Test
    void aNonZeroByteAnywhereAfterTheLastFrameIsATornTail() throws Exception {
        Path f = journalWithTwoFrames();
        long end = JournalFile.read(f).validEnd();
        for (long at : new long[] {end, end + 1, end + 7, end + 8, end + 4093, JournalFile.CHUNK - 1}) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                ch.write(ByteBuffer.wrap(new byte[] {(byte) 0x5a}), at);
            }
            JournalFile.Contents c = JournalFile.read(f);
            assertThat(c.frames()).as("at %d", at).hasSize(2);
            assertThat(c.validEnd()).as("at %d", at).isEqualTo(end);
            assertThat(c.torn()).as("at %d", at).isTrue();
            assertThat(c.fileSize()).as("the last non-zero byte, at %d", at).isGreaterThanOrEqualTo(at + 1);
        }
    }
}
