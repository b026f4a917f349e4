package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class XenLibrariesTest {
    private static final XenLibraries.Names DEFAULT = XenLibraries.Names.DEFAULT;

    @Test
    void loadsTheInstalledXen417LibrariesBySoname() throws IOException {
        InstalledLibraries.require();
        XenLibraries libs = XenLibraries.load(DEFAULT);
        assertThat(libs.xenLibraries()).extracting(XenLibraries.Loaded::name).containsExactly("libxenevtchn.so.1",
                "libxengnttab.so.1", "libxenforeignmemory.so.1", "libxenctrl.so.4.17");
        assertThat(libs.ctrlLibrary().name()).isEqualTo("libxenctrl.so.4.17");
        assertThat(libs.domainInfoLayoutVerified()).isEqualTo(Platform.ARCH.equals(XenLibraries.VERIFIED_ARCH));
    }

    @Test
    void fallsBackToTheNextNameWhenTheFirstDoesNotLoad() throws IOException {
        InstalledLibraries.require();
        XenLibraries.Names names = new XenLibraries.Names(DEFAULT.libc(), DEFAULT.evtchn(), DEFAULT.gnttab(),
                DEFAULT.foreignMemory(), List.of("libxenctrl.so.0.0-jxs-missing", "libxenctrl.so.4.17"));
        XenLibraries libs = XenLibraries.load(names);
        assertThat(libs.ctrlLibrary().name()).isEqualTo("libxenctrl.so.4.17");
    }

    @Test
    void failureNamesEveryLibraryAndEveryNameTried() {
        XenLibraries.Names names = new XenLibraries.Names(DEFAULT.libc(), List.of("jxs-no-such-evtchn"),
                DEFAULT.gnttab(), DEFAULT.foreignMemory(), List.of("jxs-no-such-ctrl", "libjxs-no-such-ctrl.so.4"));
        assertThatThrownBy(() -> XenLibraries.load(names))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot load the Xen libraries: ")
                .hasMessageContaining("XenEvtchnLib [jxs-no-such-evtchn: ")
                .hasMessageContaining("XenCtrlLib [jxs-no-such-ctrl: ")
                .hasMessageContaining("libjxs-no-such-ctrl.so.4: ");
    }

    @Test
    void aLibraryWithoutTheFunctionsIsRejectedAtLoadTime() {
        // libc loads fine but has no xenevtchn_*: the failure is reported now, not at the first call
        XenLibraries.Names names = new XenLibraries.Names(DEFAULT.libc(), List.of("c"), DEFAULT.gnttab(),
                DEFAULT.foreignMemory(), DEFAULT.ctrl());
        assertThatThrownBy(() -> XenLibraries.load(names))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("XenEvtchnLib [c: ")
                .hasMessageContaining("xenevtchn_");
    }

    @Test
    void onlyXen417sLibxenctrlCountsAsTheVerifiedLayout() {
        assertThat(XenLibraries.isVerifiedSoname(new XenLibraries.Loaded("libxenctrl.so.4.17", null))).isTrue();
        assertThat(XenLibraries.isVerifiedSoname(
                new XenLibraries.Loaded("xenctrl", "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0"))).isTrue();
        assertThat(XenLibraries.isVerifiedSoname(
                new XenLibraries.Loaded("xenctrl", "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.19.0"))).isFalse();
        assertThat(XenLibraries.isVerifiedSoname(
                new XenLibraries.Loaded("xenctrl", "/usr/lib/libxenctrl.so.4.170"))).isFalse();
        assertThat(XenLibraries.isVerifiedSoname(new XenLibraries.Loaded("xenctrl", null))).isFalse();
    }

    @Test
    void libcAloneLoadsAndGivesErrnoTexts() throws IOException {
        XenLibraries.loadLibC(DEFAULT);
        assertThat(Errno.describe(2)).isEqualTo("No such file or directory (ENOENT, errno 2)");
        assertThat(Errno.describe(13)).contains("EACCES, errno 13");
        assertThat(Errno.describe(133)).contains("errno 133");
        assertThat(Errno.failure("xenevtchn_open", 2)).hasMessage(
                "xenevtchn_open failed: No such file or directory (ENOENT, errno 2)");
    }
}
