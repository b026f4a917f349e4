package org.jxenstored.xen.jna;

import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.jxenstored.xen.XenPlatform.DomainInfo;

/**
 * {@code struct xen_domctl_getdomaininfo} ({@code xc_domaininfo_t}) of Xen 4.17's {@code xen/domctl.h}
 * ({@code XEN_DOMCTL_INTERFACE_VERSION} 0x15), as {@code xc_domain_getinfolist} fills it. Only {@code domain} and
 * {@code flags} are read; the rest is declared so that the size, the stride of an array of them, comes out as C's.
 * {@code XenAbiTest} compares size and every offset with a C probe compiled against the installed headers.
 *
 * <p>The binding reads entries straight from the native buffer at {@link #DOMAIN_OFFSET} and {@link #FLAGS_OFFSET}
 * (taken from this layout) rather than through an instance per entry. The class is public only because JNA reads
 * the fields of a Structure reflectively; it is not API.
 */
@Structure.FieldOrder({"domain", "pad1", "flags", "tot_pages", "max_pages", "outstanding_pages", "shr_pages",
        "paged_pages", "shared_info_frame", "cpu_time", "nr_online_vcpus", "max_vcpu_id", "ssidref", "handle",
        "cpupool", "gpaddr_bits", "pad2", "arch_config"})
public final class DomainInfoStruct extends Structure {
    /** {@code XEN_DOMINF_dying}: the domain is scheduled to die. */
    static final int XEN_DOMINF_DYING = 1 << 0;
    /** {@code XEN_DOMINF_hvm_guest}. */
    static final int XEN_DOMINF_HVM_GUEST = 1 << 1;
    /** {@code XEN_DOMINF_shutdown}: the guest has shut down; the reason is in the flags' high bits. */
    static final int XEN_DOMINF_SHUTDOWN = 1 << 2;
    /** {@code XEN_DOMINF_paused}. */
    static final int XEN_DOMINF_PAUSED = 1 << 3;
    /** {@code XEN_DOMINF_blocked}. */
    static final int XEN_DOMINF_BLOCKED = 1 << 4;
    /** {@code XEN_DOMINF_running}. */
    static final int XEN_DOMINF_RUNNING = 1 << 5;
    /** {@code XEN_DOMINF_shutdownmask}. */
    static final int XEN_DOMINF_SHUTDOWNMASK = 255;
    /** {@code XEN_DOMINF_shutdownshift}. */
    static final int XEN_DOMINF_SHUTDOWNSHIFT = 16;
    /** {@code DOMID_FIRST_RESERVED}: domids from here on are not real domains. */
    static final int DOMID_FIRST_RESERVED = 0x7FF0;

    /** {@code sizeof(struct xen_arch_domainconfig)}: x86 {@code emulation_flags, misc_flags}; Arm 4.17 12 bytes. */
    static final int ARCH_CONFIG_SIZE = Platform.isARM() ? 12 : 8;

    public short domain;
    public short pad1;
    public int flags;
    public long tot_pages;
    public long max_pages;
    public long outstanding_pages;
    public long shr_pages;
    public long paged_pages;
    public long shared_info_frame;
    public long cpu_time;
    public int nr_online_vcpus;
    public int max_vcpu_id;
    public int ssidref;
    public byte[] handle = new byte[16];
    public int cpupool;
    public byte gpaddr_bits;
    public byte[] pad2 = new byte[7];
    public byte[] arch_config = new byte[ARCH_CONFIG_SIZE];

    private static final DomainInfoStruct LAYOUT = new DomainInfoStruct();
    /** {@code sizeof(xc_domaininfo_t)}: the stride of the array {@code xc_domain_getinfolist} fills. */
    static final int SIZE = LAYOUT.size();
    static final int DOMAIN_OFFSET = LAYOUT.fieldOffset("domain");
    static final int FLAGS_OFFSET = LAYOUT.fieldOffset("flags");

    DomainInfoStruct() {
        super(ALIGN_GNUC);
    }

    /** The offset of {@code field} in this layout (for the ABI test). */
    static int offsetOf(String field) {
        return LAYOUT.fieldOffset(field);
    }

    /** The domid of the entry at {@code offset} of a buffer filled by {@code xc_domain_getinfolist}. */
    static int domid(Pointer buffer, long offset) {
        return buffer.getShort(offset + DOMAIN_OFFSET) & 0xFFFF;
    }

    /** The entry at {@code offset} of a buffer filled by {@code xc_domain_getinfolist}. */
    static DomainInfo read(Pointer buffer, long offset) {
        return decode(domid(buffer, offset), buffer.getInt(offset + FLAGS_OFFSET));
    }

    /** A domain's state from its {@code XEN_DOMINF_*} flags. */
    static DomainInfo decode(int domid, int flags) {
        boolean dying = (flags & XEN_DOMINF_DYING) != 0;
        boolean shutdown = (flags & XEN_DOMINF_SHUTDOWN) != 0;
        int reason = shutdown ? (flags >>> XEN_DOMINF_SHUTDOWNSHIFT) & XEN_DOMINF_SHUTDOWNMASK : 0;
        return new DomainInfo(domid, dying, shutdown, reason);
    }
}
