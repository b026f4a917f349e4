package org.jxenstored.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files of the kept state in one directory: {@code snapshot.<gen>} (complete: written as {@code .tmp} and
 * renamed) and {@code journal.<gen>} (the changes after snapshot {@code gen}, or after the end of journal
 * {@code gen-1}). Every file names the boot it belongs to: the state lives exactly as long as the store (tmpfs).
 */
final class StateDir {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    final Path dir;
    final String bootId;

    StateDir(Path dir, String bootId) {
        this.dir = dir;
        this.bootId = bootId;
    }

    /** This boot's id (a fixed string where the kernel offers none). */
    static String currentBootId() {
        try {
            return Files.readString(BOOT_ID).trim();
        } catch (IOException e) {
            return "unknown-boot";
        }
    }

    Path snapshot(long gen) {
        return dir.resolve("snapshot." + gen);
    }

    Path snapshotTmp(long gen) {
        return dir.resolve("snapshot." + gen + ".tmp");
    }

    Path journal(long gen) {
        return dir.resolve("journal." + gen);
    }

    /** Generations of the complete snapshots, ascending. */
    TreeSet<Long> snapshots() throws IOException {
        return generations("snapshot.");
    }

    TreeSet<Long> journals() throws IOException {
        return generations("journal.");
    }

    private TreeSet<Long> generations(String prefix) throws IOException {
        TreeSet<Long> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix)) {
                    try {
                        out.add(Long.parseLong(name.substring(prefix.length())));
                    } catch (NumberFormatException e) {
                        // a .tmp or a foreign file: not a generation
                    }
                }
            });
        }
        return out;
    }

    /** Removes snapshots a stop or a crash cut short ({@code snapshot.N.tmp}): never read, only in the way. */
    void dropUnfinished() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> tmp = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("snapshot.") && n.endsWith(".tmp");
            }).forEach(tmp::add);
        }
        for (Path p : tmp) {
            Files.deleteIfExists(p);
        }
    }

    /** Removes every file of ours: a fresh start. */
    /** The newest generation of a snapshot or journal here, 0 when none. */
    long lastGeneration() throws IOException {
        return Math.max(snapshots().isEmpty() ? 0 : snapshots().last(), journals().isEmpty() ? 0 : journals().last());
    }

    /** The marker a live update leaves while its successor has the state: it names the state dump. */
    static final String HANDED_OVER = "handed-over";

    /** Notes that the state was handed to a live update's successor through {@code dump}. */
    void markHandedOver(Path dump) throws IOException {
        Path tmp = dir.resolve(HANDED_OVER + ".tmp");
        Files.writeString(tmp, dump.toAbsolutePath().toString());
        Files.move(tmp, dir.resolve(HANDED_OVER), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The state dump named by the hand-over marker, if there is one. */
    java.util.Optional<Path> handedOver() throws IOException {
        Path marker = dir.resolve(HANDED_OVER);
        if (!Files.exists(marker)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Path.of(Files.readString(marker).trim()));
    }

    void clearHandedOver() throws IOException {
        Files.deleteIfExists(dir.resolve(HANDED_OVER));
    }

    void clear() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> ours = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("snapshot.") || n.startsWith("journal."); // .tmp included
            }).forEach(ours::add);
        }
        for (Path p : ours) {
            Files.deleteIfExists(p);
        }
    }

    /** Removes the files of generations before {@code gen} (a newer snapshot replaces them). */
    void dropBefore(long gen) throws IOException {
        for (long g : snapshots().headSet(gen)) {
            Files.deleteIfExists(snapshot(g));
        }
        for (long g : journals().headSet(gen)) {
            Files.deleteIfExists(journal(g));
        }
    }
}
