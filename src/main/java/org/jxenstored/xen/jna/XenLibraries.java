package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The native libraries the binding uses, loaded and checked: every function of every interface is looked up at load
 * time, so a missing symbol is a clean load failure here rather than an {@link UnsatisfiedLinkError} at first use.
 */
record XenLibraries(
        LibC libc,
        XenEvtchnLib evtchn,
        XenGnttabLib gnttab,
        XenForeignMemoryLib foreignMemory,
        XenCtrlLib ctrl,
        Loaded ctrlLibrary,
        List<Loaded> xenLibraries) {

    /** The soname whose {@code xc_domaininfo_t} layout {@code XenAbiTest} verifies. */
    static final String VERIFIED_XENCTRL_SONAME = "libxenctrl.so.4.17";
    /** The architecture (JNA's name) that layout is verified on. */
    static final String VERIFIED_ARCH = "x86-64";

    /** The names tried for each library, in order: the Debian 12 / Xen 4.17 soname first, then JNA's lookup. */
    record Names(List<String> libc, List<String> evtchn, List<String> gnttab, List<String> foreignMemory,
            List<String> ctrl) {
        static final Names DEFAULT = new Names(
                List.of("c", "libc.so.6"),
                List.of("libxenevtchn.so.1", "xenevtchn"),
                List.of("libxengnttab.so.1", "xengnttab"),
                List.of("libxenforeignmemory.so.1", "xenforeignmemory"),
                List.of(VERIFIED_XENCTRL_SONAME, "xenctrl"));
    }

    /** Which name of a library loaded, and from which file when JNA knows it. */
    record Loaded(String name, String file) {
        @Override
        public String toString() {
            return file == null ? name : name + " (" + file + ")";
        }
    }

    /** Loads every library, or fails with a message naming each library that did not load and why. */
    static XenLibraries load(Names names) throws IOException {
        checkDataModel();
        List<String> failures = new ArrayList<>();
        Result<LibC> libc = loadOne(LibC.class, names.libc(), failures);
        Result<XenEvtchnLib> evtchn = loadOne(XenEvtchnLib.class, names.evtchn(), failures);
        Result<XenGnttabLib> gnttab = loadOne(XenGnttabLib.class, names.gnttab(), failures);
        Result<XenForeignMemoryLib> fmem = loadOne(XenForeignMemoryLib.class, names.foreignMemory(), failures);
        Result<XenCtrlLib> ctrl = loadOne(XenCtrlLib.class, names.ctrl(), failures);
        if (!failures.isEmpty()) {
            throw new IOException("cannot load the Xen libraries: " + String.join("; ", failures));
        }
        Errno.useLibC(libc.lib);
        return new XenLibraries(libc.lib, evtchn.lib, gnttab.lib, fmem.lib, ctrl.lib, ctrl.loaded,
                List.of(evtchn.loaded, gnttab.loaded, fmem.loaded, ctrl.loaded));
    }

    /** libc alone, for the parts that need no Xen library (Dom0 ring mapping). */
    static LibC loadLibC(Names names) throws IOException {
        checkDataModel();
        List<String> failures = new ArrayList<>();
        Result<LibC> libc = loadOne(LibC.class, names.libc(), failures);
        if (libc == null) {
            throw new IOException("cannot load libc: " + String.join("; ", failures));
        }
        Errno.useLibC(libc.lib);
        return libc.lib;
    }

    /** The interfaces map size_t, ssize_t, off_t and nfds_t to Java long: only right on LP64. */
    static void checkDataModel() throws IOException {
        int sizeT;
        int pointer;
        int cLong;
        try {
            sizeT = Native.SIZE_T_SIZE;
            pointer = Native.POINTER_SIZE;
            cLong = Native.LONG_SIZE;
        } catch (LinkageError e) {
            throw new IOException("JNA's native support does not load: " + e, e);
        }
        if (sizeT != 8 || pointer != 8 || cLong != 8) {
            throw new IOException("unsupported data model (size_t " + sizeT + ", pointer " + pointer + ", long "
                    + cLong + " bytes); the Xen binding needs a 64-bit (LP64) platform");
        }
    }

    /**
     * Whether the {@code xc_domaininfo_t} layout of the loaded libxenctrl is the one the tests verify (Xen 4.17 on
     * x86-64), so that an array of them can be read with {@link DomainInfoStruct}'s size as stride.
     */
    boolean domainInfoLayoutVerified() {
        return VERIFIED_ARCH.equals(Platform.ARCH) && isVerifiedSoname(ctrlLibrary);
    }

    static boolean isVerifiedSoname(Loaded loaded) {
        if (loaded.name().equals(VERIFIED_XENCTRL_SONAME)) {
            return true;
        }
        if (loaded.file() == null) {
            return false;
        }
        String fileName = new File(loaded.file()).getName();
        return fileName.equals(VERIFIED_XENCTRL_SONAME) || fileName.startsWith(VERIFIED_XENCTRL_SONAME + ".");
    }

    private static final class Result<T> {
        final T lib;
        final Loaded loaded;

        Result(T lib, Loaded loaded) {
            this.lib = lib;
            this.loaded = loaded;
        }
    }

    /** The first of {@code names} that loads and has every function of {@code iface}; null (and why) when none. */
    private static <T extends Library> Result<T> loadOne(Class<T> iface, List<String> names, List<String> failures) {
        List<String> tried = new ArrayList<>();
        for (String name : names) {
            try {
                NativeLibrary library = NativeLibrary.getInstance(name);
                for (Method m : iface.getMethods()) {
                    if (m.getDeclaringClass() == iface && !m.isAnnotationPresent(OptionalFunction.class)) {
                        library.getFunction(m.getName());
                    }
                }
                T lib = Native.load(name, iface);
                File file = library.getFile();
                return new Result<>(lib, new Loaded(name, file == null ? null : file.getPath()));
            } catch (LinkageError | RuntimeException e) {
                tried.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        failures.add(iface.getSimpleName() + " [" + String.join(", ", tried) + "]");
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
