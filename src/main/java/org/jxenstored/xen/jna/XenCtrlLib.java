package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** libxenctrl ({@code xenctrl.h}, Xen 4.17, soname {@code libxenctrl.so.4.17}): domain state and version. */
interface XenCtrlLib extends Library {
    /** {@code XENVER_version}: {@code xc_version} returns {@code major << 16 | minor}. */
    int XENVER_VERSION = 0;

    Pointer xc_interface_open(Pointer logger, Pointer dombuildLogger, int openFlags);

    int xc_interface_close(Pointer xch);

    /**
     * Fills up to {@code maxDomains} {@code xc_domaininfo_t} ({@link DomainInfoStruct}) for the domains with ids
     * {@code >= firstDomain}, in domid order; returns how many, or -1 with errno set.
     */
    int xc_domain_getinfolist(Pointer xch, int firstDomain, int maxDomains, Pointer info);

    @OptionalFunction
    int xc_version(Pointer xch, int cmd, Pointer arg);

    /**
     * {@code xc_evtchn_status}: fills a {@code struct evtchn_status} ({@link EvtchnStatus}) whose {@code dom} and
     * {@code port} name the channel; 0, or -1 with errno set.
     */
    @OptionalFunction
    int xc_evtchn_status(Pointer xch, Pointer status);
}
