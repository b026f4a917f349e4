package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jxenstored.xen.RingLayout;
import org.jxenstored.xen.XenPlatform;
import org.jxenstored.xen.XenPlatform.DomainInfo;
import org.jxenstored.xen.XenPlatform.LocalRing;
import org.jxenstored.xen.XenPlatform.RingMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JnaXenPlatformTest {
    private static final int SHUTDOWN_CRASH = 3;

    @TempDir
    Path tmp;

    // ---- availability: this machine has no Xen -------------------------------------------------------------

    @Test
    void withoutDevXenThereIsNoPlatformAndNoError() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/xen")), "this machine runs on Xen");
        assertThat(JnaXenPlatform.openIfPresent(tmp.resolve("kva"), tmp.resolve("port"))).isEmpty();
        JnaXenPlatform.Environment none = new JnaXenPlatform.Environment(tmp.resolve("no-dev-xen"),
                tmp.resolve("kva"), tmp.resolve("port"), XenLibraries.Names.DEFAULT);
        assertThat(JnaXenPlatform.openIfPresent(none)).isEmpty();
    }

    /** Issue 13: on a Xen host that cannot use Xen's libraries, serving the socket alone would strand the guests. */
    @Test
    void onAXenHostMissingLibrariesAreAnError() throws IOException {
        XenLibraries.Names bogus = new XenLibraries.Names(List.of("c"), List.of("jxs-missing-evtchn"),
                List.of("jxs-missing-gnttab"), List.of("jxs-missing-fmem"), List.of("jxs-missing-ctrl"));
        JnaXenPlatform.Environment env = environment(bogus);
        assertThatThrownBy(() -> JnaXenPlatform.openIfPresent(env)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot load the Xen libraries: ").hasMessageContaining("jxs-missing-ctrl");
    }

    @Test
    void realLibrariesWithoutAHypervisorFailCleanlyAtXcInterfaceOpen() throws IOException {
        InstalledLibraries.require();
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/xen/privcmd")),
                "this machine runs on Xen");
        JnaXenPlatform.Environment env = environment(XenLibraries.Names.DEFAULT);
        assertThatThrownBy(() -> JnaXenPlatform.openIfPresent(env)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("xc_interface_open").hasMessageContaining("failed: ")
                .hasMessageContaining("errno");
    }

    private JnaXenPlatform.Environment environment(XenLibraries.Names names) throws IOException {
        Path devXen = Files.createDirectories(tmp.resolve("dev-xen"));
        return new JnaXenPlatform.Environment(devXen, tmp.resolve("xsd_kva"), tmp.resolve("xsd_port"), names);
    }

    // ---- the platform's logic, with stand-in libraries --------------------------------------------------------

    private final FakeXenLibs.Ctrl ctrl = new FakeXenLibs.Ctrl();
    private final FakeXenLibs.Gnttab gnttab = new FakeXenLibs.Gnttab();
    private final FakeXenLibs.ForeignMemory fmem = new FakeXenLibs.ForeignMemory();

    private JnaEventChannelsTest.FakeEvtchn evtchn;

    @AfterEach
    void closeFakeDevice() {
        if (evtchn != null) {
            evtchn.closePipe();
        }
    }

    private JnaXenPlatform fakePlatform(boolean withGnttab, boolean withForeignMemory) throws IOException {
        LibC libc = XenLibraries.loadLibC(XenLibraries.Names.DEFAULT);
        evtchn = new JnaEventChannelsTest.FakeEvtchn(libc);
        XenLibraries.Loaded loaded = new XenLibraries.Loaded("libxenctrl.so.4.17", null);
        XenLibraries libs = new XenLibraries(libc, evtchn, gnttab, fmem, ctrl, loaded, List.of(loaded));
        JnaXenPlatform.Environment env = new JnaXenPlatform.Environment(tmp, tmp.resolve("xsd_kva"), tmp.resolve("xsd_port"),
                XenLibraries.Names.DEFAULT);
        return new JnaXenPlatform(env, libs, FakeXenLibs.handle(), withGnttab ? FakeXenLibs.handle() : null,
                withForeignMemory ? FakeXenLibs.handle() : null, "fake");
    }

    @Test
    void mapRingUsesTheXenstoreGrantReadWrite() throws IOException {
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            RingMapping ring = platform.mapRing(5, 0x1234);
            assertThat(gnttab.lastRef).isEqualTo(XenPlatform.GNTTAB_RESERVED_XENSTORE);
            assertThat(gnttab.lastProt).isEqualTo(LibC.PROT_READ | LibC.PROT_WRITE);
            assertThat(fmem.lastFrame).as("no fallback needed").isEqualTo(-1);
            ByteBuffer page = ring.page();
            assertThat(page.isDirect()).isTrue();
            assertThat(page.capacity()).isEqualTo(RingLayout.PAGE_SIZE);
            assertThat(page.order()).isEqualTo(ByteOrder.nativeOrder());
            page.putInt(RingLayout.RSP_PROD, 42);
            assertThat(gnttab.mapped.get(0).getInt(RingLayout.RSP_PROD)).as("the buffer is the mapping").isEqualTo(42);
            ring.close();
            ring.close();
            assertThat(gnttab.unmapped).containsExactly(gnttab.mapped.get(0));
        }
    }

    @Test
    void mapRingFallsBackToTheForeignMappingOfTheGfn() throws IOException {
        gnttab.failWithErrno = 22;
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            RingMapping ring = platform.mapRing(7, 0xfeffcL);
            assertThat(fmem.lastFrame).isEqualTo(0xfeffcL);
            ring.close();
            assertThat(fmem.unmapped).hasSize(1);
            assertThat(gnttab.unmapped).isEmpty();
        }
    }

    @Test
    void mapRingFailureIsAnIOExceptionWithBothErrnos() throws IOException {
        gnttab.failWithErrno = 22;
        fmem.failWithErrno = 1;
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            assertThatThrownBy(() -> platform.mapRing(9, 0xabc))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("domain 9")
                    .hasMessageContaining("xengnttab_map_grant_ref: ")
                    .hasMessageContaining("EINVAL, errno 22")
                    .hasMessageContaining("xenforeignmemory_map(gfn 0xabc): ")
                    .hasMessageContaining("EPERM, errno 1");
        }
    }

    @Test
    void withoutAGrantHandleOnlyTheForeignMappingIsTried() throws IOException {
        try (JnaXenPlatform platform = fakePlatform(false, true)) {
            platform.mapRing(3, 0x99).close();
            assertThat(gnttab.lastProt).isZero();
            assertThat(fmem.lastFrame).isEqualTo(0x99);
        }
    }

    @Test
    void closeUnmapsWhatIsStillMappedAndReleasesTheHandles() throws IOException {
        JnaXenPlatform platform = fakePlatform(true, true);
        RingMapping a = platform.mapRing(1, 1);
        RingMapping b = platform.mapRing(2, 2);
        a.close();
        platform.close();
        assertThat(gnttab.unmapped).hasSize(2);
        assertThat(gnttab.closes).isEqualTo(1);
        assertThat(fmem.closes).isEqualTo(1);
        assertThat(ctrl.closes).isEqualTo(1);
        b.close();
        platform.close();
        assertThat(gnttab.unmapped).as("nothing unmapped twice").hasSize(2);
        assertThat(ctrl.closes).isEqualTo(1);
        assertThatThrownBy(() -> platform.mapRing(3, 3)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThatThrownBy(platform::listDomains).isInstanceOf(IOException.class);
    }

    @Test
    void closeClosesTheEventChannelsOpenedThroughThePlatform() throws Exception {
        JnaXenPlatform platform = fakePlatform(true, true);
        XenPlatform.EventChannels closedByUser = platform.openEventChannels(Runnable::run, port -> { });
        XenPlatform.EventChannels leftOpen = platform.openEventChannels(Runnable::run, port -> { });
        closedByUser.close();
        assertThat(evtchn.closes).hasValue(1);
        platform.close();
        assertThat(evtchn.closes).hasValue(2);
        assertThatThrownBy(() -> leftOpen.bindVirq(XenPlatform.VIRQ_DOM_EXC)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> platform.openEventChannels(Runnable::run, port -> { }))
                .isInstanceOf(IOException.class);
    }

    @Test
    void descriptionNamesTheHypervisorVersionAndTheLibraries() {
        List<XenLibraries.Loaded> libs = List.of(new XenLibraries.Loaded("libxenevtchn.so.1", null),
                new XenLibraries.Loaded("libxenctrl.so.4.17", "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0"));
        assertThat(JnaXenPlatform.description(4 << 16 | 17, libs, true, true))
                .isEqualTo("Xen 4.17 via libxenevtchn.so.1, libxenctrl.so.4.17");
        assertThat(JnaXenPlatform.description(-1, libs, false, true))
                .isEqualTo("Xen (version unknown) via libxenevtchn.so.1, libxenctrl.so.4.17 (no grant mapping)");
    }

    @Test
    void domainInfoDecodesDyingAndShutdownReason() throws IOException {
        ctrl.domains.put(0, DomainInfoStruct.XEN_DOMINF_RUNNING);
        ctrl.domains.put(4, DomainInfoStruct.XEN_DOMINF_SHUTDOWN | SHUTDOWN_CRASH << 16);
        ctrl.domains.put(6, DomainInfoStruct.XEN_DOMINF_DYING | DomainInfoStruct.XEN_DOMINF_SHUTDOWN);
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            assertThat(platform.domainInfo(0)).contains(new DomainInfo(0, false, false, 0));
            assertThat(platform.domainInfo(4)).contains(new DomainInfo(4, false, true, SHUTDOWN_CRASH));
            assertThat(platform.domainInfo(6)).contains(new DomainInfo(6, true, true, 0));
            assertThat(platform.domainInfo(6).orElseThrow().gone()).isTrue();
            // getinfolist answers the next domain up: that is not domain 5
            assertThat(platform.domainInfo(5)).isEmpty();
            assertThat(platform.domainInfo(7)).isEmpty();
            assertThat(platform.domainInfo(0x7FF0)).as("DOMID_FIRST_RESERVED").isEmpty();
            assertThat(platform.domainInfo(-1)).isEmpty();
        }
    }

    @Test
    void domainInfoFailureIsAnIOExceptionWithErrno() throws IOException {
        ctrl.failWithErrno = 13;
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            assertThatThrownBy(() -> platform.domainInfo(1))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("xc_domain_getinfolist(domid 1)")
                    .hasMessageContaining("EACCES, errno 13");
        }
    }

    @Test
    void listDomainsReadsBatchesWithTheStructSizeAsStride() throws IOException {
        List<DomainInfo> expected = new ArrayList<>();
        for (int domid = 0; domid < 600; domid++) {
            int flags = domid % 3 == 0 ? DomainInfoStruct.XEN_DOMINF_DYING : DomainInfoStruct.XEN_DOMINF_BLOCKED;
            ctrl.domains.put(domid * 2, flags);
            expected.add(DomainInfoStruct.decode(domid * 2, flags));
        }
        List<DomainInfo> listed = JnaXenPlatform.listDomains(ctrl, FakeXenLibs.handle(), true);
        assertThat(listed).containsExactlyElementsOf(expected);
        assertThat(ctrl.calls).extracting(c -> c[0]).containsExactly(0, 511, 1023);
        assertThat(ctrl.calls).extracting(c -> c[1]).containsOnly(JnaXenPlatform.LIST_BATCH);
    }

    @Test
    void listDomainsReadsOneAtATimeWhenTheLayoutIsNotTheVerifiedOne() throws IOException {
        ctrl.domains.put(0, 0);
        ctrl.domains.put(3, DomainInfoStruct.XEN_DOMINF_SHUTDOWN);
        ctrl.domains.put(10, 0);
        List<DomainInfo> listed = JnaXenPlatform.listDomains(ctrl, FakeXenLibs.handle(), false);
        assertThat(listed).extracting(DomainInfo::domid).containsExactly(0, 3, 10);
        assertThat(listed.get(1).shutdown()).isTrue();
        assertThat(ctrl.calls).extracting(c -> c[0]).containsExactly(0, 1, 4, 11);
        assertThat(ctrl.calls).extracting(c -> c[1]).containsOnly(1);
    }

    @Test
    void decodeIgnoresTheReasonBitsUnlessShutDown() {
        assertThat(DomainInfoStruct.decode(3, SHUTDOWN_CRASH << 16)).isEqualTo(new DomainInfo(3, false, false, 0));
        assertThat(DomainInfoStruct.decode(3, 0xFF << 16 | DomainInfoStruct.XEN_DOMINF_SHUTDOWN))
                .isEqualTo(new DomainInfo(3, false, true, 255));
        assertThat(DomainInfoStruct.decode(3, -1)).isEqualTo(new DomainInfo(3, true, true, 255));
    }

    // ---- Dom0 ring ----------------------------------------------------------------------------------------

    @Test
    void dom0RingIsEmptyWithoutTheProcFiles() throws IOException {
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            assertThat(platform.dom0Ring()).isEmpty();
        }
    }

    @Test
    void dom0RingMapsXsdKvaSharedAndReadsXsdPort() throws IOException {
        Path kva = tmp.resolve("xsd_kva");
        Files.write(kva, new byte[RingLayout.PAGE_SIZE]);
        Files.writeString(tmp.resolve("xsd_port"), "3\n");
        try (JnaXenPlatform platform = fakePlatform(true, true)) {
            LocalRing ring = platform.dom0Ring().orElseThrow();
            assertThat(ring.remotePort()).isEqualTo(3);
            ByteBuffer page = ring.mapping().page();
            assertThat(page.isDirect()).isTrue();
            assertThat(page.capacity()).isEqualTo(RingLayout.PAGE_SIZE);
            page.put(RingLayout.RSP, (byte) 'x');
            page.putInt(RingLayout.CONNECTION, RingLayout.RECONNECT);
            // platform close unmaps it (MAP_SHARED: the writes are in the file)
        }
        byte[] file = Files.readAllBytes(kva);
        assertThat(file[RingLayout.RSP]).isEqualTo((byte) 'x');
        assertThat(ByteBuffer.wrap(file).order(ByteOrder.nativeOrder()).getInt(RingLayout.CONNECTION))
                .isEqualTo(RingLayout.RECONNECT);
    }

    @Test
    void mapPageFailureIsAnIOExceptionWithErrno() throws IOException {
        LibC libc = XenLibraries.loadLibC(XenLibraries.Names.DEFAULT);
        assertThatThrownBy(() -> JnaXenPlatform.mapPage(libc, tmp.resolve("missing"), null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("open(" + tmp.resolve("missing") + ") failed: ")
                .hasMessageContaining("ENOENT");
        assertThatThrownBy(() -> JnaXenPlatform.mapPage(libc, tmp, null))
                .as("a directory cannot be opened read/write")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("EISDIR");
    }

    @Test
    void mappedPageCloseRunsTheUnmapOnceAndTellsTheListener() throws IOException {
        Path file = tmp.resolve("page");
        Files.write(file, new byte[RingLayout.PAGE_SIZE]);
        LibC libc = XenLibraries.loadLibC(XenLibraries.Names.DEFAULT);
        AtomicInteger closed = new AtomicInteger();
        NativeRingMapping mapping = JnaXenPlatform.mapPage(libc, file, m -> closed.incrementAndGet());
        mapping.page().put(0, (byte) 7);
        mapping.close();
        mapping.close();
        assertThat(closed).hasValue(1);
        assertThat(mapping.isClosed()).isTrue();
        assertThat(Files.readAllBytes(file)[0]).isEqualTo((byte) 7);
    }

    @Test
    void xsdPortMustHoldAPositiveNumber() throws IOException {
        Path port = tmp.resolve("port");
        Files.writeString(port, "17");
        assertThat(JnaXenPlatform.readPort(port)).isEqualTo(17);
        Files.write(port, " 5\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(JnaXenPlatform.readPort(port)).isEqualTo(5);
        Files.writeString(port, "junk");
        assertThatThrownBy(() -> JnaXenPlatform.readPort(port)).isInstanceOf(IOException.class).hasMessageContaining("junk");
        Files.writeString(port, "0");
        assertThatThrownBy(() -> JnaXenPlatform.readPort(port)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JnaXenPlatform.readPort(tmp.resolve("none"))).isInstanceOf(IOException.class);
    }
}
