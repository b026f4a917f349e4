package org.jxenstored.xen.sim;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The directory a simulated hypervisor shares between processes: the guests' side (test code, {@link
 * SharedSimHypervisor}) writes the domain table, the daemon ({@link SharedSimPlatform}) reads it. Layout:
 *
 * <pre>
 * domains/DOMID        one domain's record (key=value lines), replaced by an atomic rename
 * ring-DOMID           its xenstore page, memory-mapped by both sides
 * evtchn-daemon        the daemon's event channel datagram socket
 * evtchn-DOMID         the guest's event channel datagram socket
 * </pre>
 *
 * Unix socket paths are limited to 107 bytes: keep the directory's path short.
 */
final class SharedSimDir {
    private final Path dir;

    /** A domain as the simulated hypervisor reports it; {@code port} is the guest's end of its xenstore channel. */
    record Domain(int domid, int port, boolean shutdown, boolean dying, int shutdownReason) {
        Domain withShutdown(int reason) {
            return new Domain(domid, port, true, dying, reason);
        }

        Domain withDying() {
            return new Domain(domid, port, shutdown, true, shutdownReason);
        }
    }

    SharedSimDir(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    Path path() {
        return dir;
    }

    Path ringFile(int domid) {
        return dir.resolve("ring-" + domid);
    }

    Path daemonSocket() {
        return dir.resolve("evtchn-daemon");
    }

    Path guestSocket(int domid) {
        return dir.resolve("evtchn-" + domid);
    }

    private Path domains() {
        return dir.resolve("domains");
    }

    /** Writes a domain's record: readers see the old one or the new one, never half of it. */
    void write(Domain d) throws IOException {
        Files.createDirectories(domains());
        String text = "port=" + d.port() + "\nshutdown=" + d.shutdown() + "\ndying=" + d.dying()
                + "\nshutdownReason=" + d.shutdownReason() + "\n";
        Path tmp = domains().resolve("." + d.domid() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, domains().resolve(Integer.toString(d.domid())), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes a domain from the table (it was destroyed). */
    void remove(int domid) throws IOException {
        Files.deleteIfExists(domains().resolve(Integer.toString(domid)));
    }

    Optional<Domain> read(int domid) throws IOException {
        String text;
        try {
            text = Files.readString(domains().resolve(Integer.toString(domid)), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            return Optional.of(new Domain(domid, Integer.parseInt(p.getProperty("port")),
                    Boolean.parseBoolean(p.getProperty("shutdown")), Boolean.parseBoolean(p.getProperty("dying")),
                    Integer.parseInt(p.getProperty("shutdownReason"))));
        } catch (NumberFormatException e) {
            throw new IOException("domain record " + domid + " in " + domains() + " is malformed: " + text, e);
        }
    }

    /** Every domain in the table. */
    List<Domain> list() throws IOException {
        List<Domain> out = new ArrayList<>();
        if (!Files.isDirectory(domains())) {
            return out;
        }
        try (Stream<Path> files = Files.list(domains())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    read(Integer.parseInt(name)).ifPresent(out::add);
                }
            }
        }
        return out;
    }
}
