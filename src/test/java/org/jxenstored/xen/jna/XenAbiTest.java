package org.jxenstored.xen.jna;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jxenstored.xen.XenPlatform;
import org.junit.jupiter.api.Test;

/**
 * The struct layouts and constants the JNA binding hard-codes, against a C probe compiled with the installed Xen
 * 4.17 headers ({@code src/test/resources/xen-abi/probe.c}).
 */
class XenAbiTest {
    private static final String DOMAININFO = "xc_domaininfo_t";

    @Test
    void domainInfoStructHasTheSizeAndOffsetsOfXcDomaininfoT() throws Exception {
        assertThat(DomainInfoStruct.SIZE).as("sizeof(xc_domaininfo_t)").isEqualTo(AbiProbe.value("sizeof." + DOMAININFO));
        for (String field : List.of("domain", "pad1", "flags", "tot_pages", "max_pages", "outstanding_pages",
                "shr_pages", "paged_pages", "shared_info_frame", "cpu_time", "nr_online_vcpus", "max_vcpu_id",
                "ssidref", "handle", "cpupool", "gpaddr_bits", "pad2", "arch_config")) {
            assertThat((long) DomainInfoStruct.offsetOf(field)).as("offsetof(xc_domaininfo_t, %s)", field)
                    .isEqualTo(AbiProbe.value("offsetof." + DOMAININFO + "." + field));
        }
        assertThat(DomainInfoStruct.DOMAIN_OFFSET).isEqualTo(AbiProbe.value("offsetof." + DOMAININFO + ".domain"));
        assertThat(DomainInfoStruct.FLAGS_OFFSET).isEqualTo(AbiProbe.value("offsetof." + DOMAININFO + ".flags"));
        assertThat((long) DomainInfoStruct.ARCH_CONFIG_SIZE).isEqualTo(AbiProbe.value("sizeof.xen_arch_domainconfig"));
        assertThat(AbiProbe.value("sizeof.domid_t")).as("domain is a uint16_t").isEqualTo(2);
        assertThat(AbiProbe.value("sizeof.xen_domain_handle_t")).isEqualTo(16);
    }

    @Test
    void theHeadersAreXen417sDomctlInterface() throws Exception {
        // DomainInfoStruct mirrors XEN_DOMCTL_INTERFACE_VERSION 0x15 (Xen 4.17); a different one needs a new look
        assertThat(AbiProbe.value("const.XEN_DOMCTL_INTERFACE_VERSION")).isEqualTo(0x15);
        assertThat(XenLibraries.VERIFIED_XENCTRL_SONAME).isEqualTo("libxenctrl.so.4.17");
    }

    @Test
    void domainInfoFlagConstantsMatchTheHeaders() throws Exception {
        assertThat((long) DomainInfoStruct.XEN_DOMINF_DYING).isEqualTo(AbiProbe.value("const.XEN_DOMINF_dying"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_HVM_GUEST).isEqualTo(AbiProbe.value("const.XEN_DOMINF_hvm_guest"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_SHUTDOWN).isEqualTo(AbiProbe.value("const.XEN_DOMINF_shutdown"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_PAUSED).isEqualTo(AbiProbe.value("const.XEN_DOMINF_paused"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_BLOCKED).isEqualTo(AbiProbe.value("const.XEN_DOMINF_blocked"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_RUNNING).isEqualTo(AbiProbe.value("const.XEN_DOMINF_running"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_SHUTDOWNMASK)
                .isEqualTo(AbiProbe.value("const.XEN_DOMINF_shutdownmask"));
        assertThat((long) DomainInfoStruct.XEN_DOMINF_SHUTDOWNSHIFT)
                .isEqualTo(AbiProbe.value("const.XEN_DOMINF_shutdownshift"));
        assertThat((long) DomainInfoStruct.DOMID_FIRST_RESERVED).isEqualTo(AbiProbe.value("const.DOMID_FIRST_RESERVED"));
        assertThat((long) XenCtrlLib.XENVER_VERSION).isEqualTo(AbiProbe.value("const.XENVER_version"));
    }

    @Test
    void xenPlatformConstantsMatchTheHeaders() throws Exception {
        assertThat((long) XenPlatform.VIRQ_DOM_EXC).isEqualTo(AbiProbe.value("const.VIRQ_DOM_EXC"));
        assertThat((long) XenPlatform.GNTTAB_RESERVED_XENSTORE)
                .isEqualTo(AbiProbe.value("const.GNTTAB_RESERVED_XENSTORE"));
    }

    @Test
    void argumentTypesAreTheWidthsTheInterfacesAssume() throws Exception {
        // XenForeignMemoryLib passes the frame list as 64-bit values; ports are ints
        assertThat(AbiProbe.value("sizeof.xen_pfn_t")).isEqualTo(Long.BYTES);
        assertThat(AbiProbe.value("sizeof.evtchn_port_t")).isEqualTo(Integer.BYTES);
    }

    @Test
    void libcConstantsAndPollfdLayoutMatchTheHeaders() throws Exception {
        assertThat((long) LibC.PROT_READ).isEqualTo(AbiProbe.value("const.PROT_READ"));
        assertThat((long) LibC.PROT_WRITE).isEqualTo(AbiProbe.value("const.PROT_WRITE"));
        assertThat((long) LibC.MAP_SHARED).isEqualTo(AbiProbe.value("const.MAP_SHARED"));
        assertThat((long) LibC.O_RDWR).isEqualTo(AbiProbe.value("const.O_RDWR"));
        assertThat((long) LibC.O_CLOEXEC).isEqualTo(AbiProbe.value("const.O_CLOEXEC"));
        assertThat((long) LibC.O_NONBLOCK).isEqualTo(AbiProbe.value("const.O_NONBLOCK"));
        assertThat((long) LibC.POLLIN).isEqualTo(AbiProbe.value("const.POLLIN"));
        assertThat((long) LibC.POLLERR).isEqualTo(AbiProbe.value("const.POLLERR"));
        assertThat((long) LibC.POLLHUP).isEqualTo(AbiProbe.value("const.POLLHUP"));
        assertThat((long) LibC.POLLNVAL).isEqualTo(AbiProbe.value("const.POLLNVAL"));
        assertThat((long) LibC.POLLFD_SIZE).isEqualTo(AbiProbe.value("sizeof.pollfd"));
        assertThat(AbiProbe.value("offsetof.pollfd.fd")).isZero();
        assertThat((long) LibC.POLLFD_EVENTS).isEqualTo(AbiProbe.value("offsetof.pollfd.events"));
        assertThat((long) LibC.POLLFD_REVENTS).isEqualTo(AbiProbe.value("offsetof.pollfd.revents"));
    }
}
