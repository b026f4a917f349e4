package org.jxenstored.os;

import com.sun.jna.Platform;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Writes the native libraries the jar carries (Netty's epoll transport, JNA's dispatch library) for this machine's
 * architecture into a directory once, at install time, so that a start loads them from there
 * ({@code -Djava.library.path}, {@code -Djna.boot.library.path}, set by the launcher) instead of copying each out
 * of the jar into /tmp under a random name: that costs the initialisation of Java's security providers
 * (SecureRandom, for the temporary name) and two file copies at every start, i.e. in the outage of every live update
 * and crash restart (docs/performance.md, "Start-up").
 *
 * <p>The directory also gets {@value #STAMP}, the jar's size and modification time (seconds) as the launcher's
 * {@code stat -c '%s %Y'} prints them: the launcher uses the directory only while they match, so libraries of an
 * older jar are never loaded with a newer one (JNA refuses a dispatch library of another version).
 *
 * <pre>java -cp jxenstored.jar org.jxenstored.os.NativeLibraryFiles DIR</pre>
 */
public final class NativeLibraryFiles {
    /** The file naming the jar the libraries were taken from. */
    public static final String STAMP = "jar-stamp";

    private NativeLibraryFiles() {
    }

    /** The jar resources to write, each as the file name the loaders look for. */
    static List<String[]> libraries() {
        String netty = "netty_transport_native_epoll_" + PlatformDependent.normalizedArch();
        return List.of(
                new String[] {"META-INF/native/" + System.mapLibraryName(netty), System.mapLibraryName(netty)},
                new String[] {"com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch"),
                        System.mapLibraryName("jnidispatch")});
    }

    /**
     * Writes the libraries and the stamp of {@code jar} into {@code dir} (created if missing); each file under a
     * temporary name first, then renamed, so a daemon starting meanwhile never loads half a file.
     *
     * @return the number of libraries written (those this jar has no build of for this machine are skipped)
     */
    public static int write(Path jar, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(STAMP)); // unusable while it changes
        int written = 0;
        for (String[] lib : libraries()) {
            try (InputStream in = NativeLibraryFiles.class.getClassLoader().getResourceAsStream(lib[0])) {
                if (in == null) {
                    continue;
                }
                Path tmp = dir.resolve(lib[1] + ".new." + ProcessHandle.current().pid());
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dir.resolve(lib[1]), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                written++;
            }
        }
        BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
        Path tmp = dir.resolve(STAMP + ".new");
        Files.writeString(tmp, a.size() + " " + a.lastModifiedTime().toMillis() / 1000 + "\n");
        Files.move(tmp, dir.resolve(STAMP), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return written;
    }

    public static void main(String[] args) throws IOException, URISyntaxException {
        if (args.length != 1) {
            System.err.println("usage: java -cp jxenstored.jar " + NativeLibraryFiles.class.getName() + " DIR");
            System.exit(2);
        }
        Path jar = Paths.get(NativeLibraryFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        write(jar, Paths.get(args[0]));
    }
}
