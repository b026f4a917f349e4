/*
 * ABI probe for jxenstored's JNA binding (org.jxenstored.xen.jna): prints, one "name value" per line, the sizes,
 * field offsets and constants the Java side hard-codes, as the installed Xen headers define them. Compiled and run
 * by XenAbiTest / RingLayoutAbiTest; the Java side compares every line with its own idea of the value.
 *
 * Names that a header version does not define are not printed (the tests check only what is printed, and insist
 * on what Xen 4.17 has).
 */
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenforeignmemory.h>
#include <xen/io/xs_wire.h>

#define SIZE(name, type) printf("sizeof.%s %zu\n", name, sizeof(type))
#define OFFSET(name, type, field) printf("offsetof.%s.%s %zu\n", name, #field, offsetof(type, field))
#define CONST(name) printf("const.%s %lld\n", #name, (long long)(name))

int main(void)
{
    /* struct xen_domctl_getdomaininfo (xc_domaininfo_t), filled by xc_domain_getinfolist */
    SIZE("xc_domaininfo_t", xc_domaininfo_t);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, domain);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, pad1);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, flags);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, tot_pages);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, max_pages);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, outstanding_pages);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, shr_pages);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, paged_pages);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, shared_info_frame);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, cpu_time);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, nr_online_vcpus);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, max_vcpu_id);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, ssidref);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, handle);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, cpupool);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, gpaddr_bits);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, pad2);
    OFFSET("xc_domaininfo_t", xc_domaininfo_t, arch_config);
    SIZE("xen_arch_domainconfig", struct xen_arch_domainconfig);
    SIZE("domid_t", domid_t);
    SIZE("evtchn_port_t", evtchn_port_t);
    SIZE("xen_pfn_t", xen_pfn_t);
    SIZE("xen_domain_handle_t", xen_domain_handle_t);
    CONST(XEN_DOMCTL_INTERFACE_VERSION);
    CONST(XEN_DOMINF_dying);
    CONST(XEN_DOMINF_hvm_guest);
    CONST(XEN_DOMINF_shutdown);
    CONST(XEN_DOMINF_paused);
    CONST(XEN_DOMINF_blocked);
    CONST(XEN_DOMINF_running);
    CONST(XEN_DOMINF_shutdownmask);
    CONST(XEN_DOMINF_shutdownshift);
    CONST(SHUTDOWN_poweroff);
    CONST(SHUTDOWN_reboot);
    CONST(SHUTDOWN_suspend);
    CONST(SHUTDOWN_crash);
    CONST(SHUTDOWN_watchdog);
    CONST(DOMID_FIRST_RESERVED);
    CONST(XENVER_version);

    /* event channels and grants */
    CONST(VIRQ_DOM_EXC);
#ifdef GNTTAB_RESERVED_XENSTORE
    CONST(GNTTAB_RESERVED_XENSTORE);
#endif

    /* libc constants the binding passes to mmap/open/poll */
    CONST(PROT_READ);
    CONST(PROT_WRITE);
    CONST(MAP_SHARED);
    CONST(O_RDWR);
    CONST(O_CLOEXEC);
    CONST(O_NONBLOCK);
    CONST(POLLIN);
    CONST(POLLERR);
    CONST(POLLHUP);
    CONST(POLLNVAL);
    SIZE("pollfd", struct pollfd);
    OFFSET("pollfd", struct pollfd, fd);
    OFFSET("pollfd", struct pollfd, events);
    OFFSET("pollfd", struct pollfd, revents);

    /* enum xsd_sockmsg_type (io/xs_wire.h): the message types; newer ones only where this header has them */
    CONST(XS_CONTROL);
    CONST(XS_DIRECTORY);
    CONST(XS_READ);
    CONST(XS_GET_PERMS);
    CONST(XS_WATCH);
    CONST(XS_UNWATCH);
    CONST(XS_TRANSACTION_START);
    CONST(XS_TRANSACTION_END);
    CONST(XS_INTRODUCE);
    CONST(XS_RELEASE);
    CONST(XS_GET_DOMAIN_PATH);
    CONST(XS_WRITE);
    CONST(XS_MKDIR);
    CONST(XS_RM);
    CONST(XS_SET_PERMS);
    CONST(XS_WATCH_EVENT);
    CONST(XS_ERROR);
    CONST(XS_IS_DOMAIN_INTRODUCED);
    CONST(XS_RESUME);
    CONST(XS_SET_TARGET);
    CONST(XS_RESET_WATCHES);
    CONST(XS_DIRECTORY_PART);

    /* struct xenstore_domain_interface (io/xs_wire.h) */
    SIZE("xenstore_domain_interface", struct xenstore_domain_interface);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, req);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, rsp);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, req_cons);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, req_prod);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, rsp_cons);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, rsp_prod);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, server_features);
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, connection);
#ifdef XENSTORE_SERVER_FEATURE_ERROR
    OFFSET("xenstore_domain_interface", struct xenstore_domain_interface, error);
#endif
    /* evtchn_port (Xen 4.21+) follows error; its presence shows only in the sizeof above */
    SIZE("XENSTORE_RING_IDX", XENSTORE_RING_IDX);
    CONST(XENSTORE_RING_SIZE);
    CONST(XENSTORE_PAYLOAD_MAX);
    CONST(XENSTORE_SERVER_FEATURE_RECONNECTION);
#ifdef XENSTORE_SERVER_FEATURE_ERROR
    CONST(XENSTORE_SERVER_FEATURE_ERROR);
#endif
#ifdef XENSTORE_SERVER_FEATURE_WATCHDEPTH
    CONST(XENSTORE_SERVER_FEATURE_WATCHDEPTH);
#endif
#ifdef XENSTORE_SERVER_FEATURE_DOMID_ANY
    CONST(XENSTORE_SERVER_FEATURE_DOMID_ANY);
#endif
    CONST(XENSTORE_CONNECTED);
    CONST(XENSTORE_RECONNECT);
#ifdef XENSTORE_ERROR_NONE
    CONST(XENSTORE_ERROR_NONE);
    CONST(XENSTORE_ERROR_COMM);
    CONST(XENSTORE_ERROR_RINGIDX);
    CONST(XENSTORE_ERROR_PROTO);
#endif
    return 0;
}
