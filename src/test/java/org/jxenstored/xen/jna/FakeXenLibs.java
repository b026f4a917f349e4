package org.jxenstored.xen.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-process stand-ins for the Xen libraries, implementing the same JNA interfaces, so the logic around the native
 * calls (fallbacks, errno reporting, batching, tracking, close order) runs without Xen. Failures set errno through
 * {@link Native#setLastError(int)} as the real libraries set errno.
 */
final class FakeXenLibs {
    private FakeXenLibs() {
    }

    static Pointer handle() {
        return new Memory(8);
    }

    /** libxenctrl whose domains are {@link #domains} (domid to XEN_DOMINF flags). */
    static final class Ctrl implements XenCtrlLib {
        final Map<Integer, Integer> domains = Collections.synchronizedMap(new TreeMap<>());
        final List<int[]> calls = Collections.synchronizedList(new ArrayList<>());
        volatile int failWithErrno;
        volatile int closes;

        @Override
        public Pointer xc_interface_open(Pointer logger, Pointer dombuildLogger, int openFlags) {
            return handle();
        }

        @Override
        public int xc_interface_close(Pointer xch) {
            closes++;
            return 0;
        }

        @Override
        public int xc_domain_getinfolist(Pointer xch, int firstDomain, int maxDomains, Pointer info) {
            calls.add(new int[] {firstDomain, maxDomains});
            if (failWithErrno != 0) {
                Native.setLastError(failWithErrno);
                return -1;
            }
            int n = 0;
            synchronized (domains) {
                for (Map.Entry<Integer, Integer> d : domains.entrySet()) {
                    if (d.getKey() < firstDomain || n == maxDomains) {
                        continue;
                    }
                    long base = (long) n * DomainInfoStruct.SIZE;
                    // fill the whole entry with noise first: only domain and flags may be read
                    for (int i = 0; i < DomainInfoStruct.SIZE; i++) {
                        info.setByte(base + i, (byte) 0xA5);
                    }
                    info.setShort(base + DomainInfoStruct.DOMAIN_OFFSET, (short) (int) d.getKey());
                    info.setInt(base + DomainInfoStruct.FLAGS_OFFSET, d.getValue());
                    n++;
                }
            }
            return n;
        }

        @Override
        public int xc_version(Pointer xch, int cmd, Pointer arg) {
            return 4 << 16 | 17;
        }

        /** Interdomain channels by local port: the remote port. */
        final Map<Integer, Integer> remotePorts = Collections.synchronizedMap(new TreeMap<>());

        @Override
        public int xc_evtchn_status(Pointer xch, Pointer status) {
            Integer remote = remotePorts.get(status.getInt(4));
            if (remote == null) {
                Native.setLastError(22);
                return -1;
            }
            status.setInt(8, EvtchnStatus.EVTCHNSTAT_INTERDOMAIN);
            status.setInt(20, remote);
            return 0;
        }
    }

    /** libxengnttab mapping real (Java-allocated) pages, or failing with {@link #failWithErrno}. */
    static final class Gnttab implements XenGnttabLib {
        final List<Pointer> mapped = Collections.synchronizedList(new ArrayList<>());
        final List<Pointer> unmapped = Collections.synchronizedList(new ArrayList<>());
        volatile int failWithErrno;
        volatile int lastRef;
        volatile int lastProt;
        volatile int closes;

        @Override
        public Pointer xengnttab_open(Pointer logger, int openFlags) {
            return handle();
        }

        @Override
        public int xengnttab_close(Pointer xgt) {
            closes++;
            return 0;
        }

        @Override
        public Pointer xengnttab_map_grant_ref(Pointer xgt, int domid, int ref, int prot) {
            lastRef = ref;
            lastProt = prot;
            if (failWithErrno != 0) {
                Native.setLastError(failWithErrno);
                return null;
            }
            Memory page = new Memory(4096);
            page.clear();
            mapped.add(page);
            return page;
        }

        @Override
        public int xengnttab_unmap(Pointer xgt, Pointer startAddress, int count) {
            unmapped.add(startAddress);
            return 0;
        }
    }

    /** libxenforeignmemory, likewise; records the frame it was asked for. */
    static final class ForeignMemory implements XenForeignMemoryLib {
        final List<Pointer> unmapped = Collections.synchronizedList(new ArrayList<>());
        volatile int failWithErrno;
        volatile long lastFrame = -1;
        volatile int closes;

        @Override
        public Pointer xenforeignmemory_open(Pointer logger, int openFlags) {
            return handle();
        }

        @Override
        public int xenforeignmemory_close(Pointer fmem) {
            closes++;
            return 0;
        }

        @Override
        public Pointer xenforeignmemory_map(Pointer fmem, int dom, int prot, long pages, Pointer arr, Pointer err) {
            lastFrame = arr.getLong(0);
            if (failWithErrno != 0) {
                Native.setLastError(failWithErrno);
                return null;
            }
            Memory page = new Memory(4096);
            page.clear();
            return page;
        }

        @Override
        public int xenforeignmemory_unmap(Pointer fmem, Pointer addr, long pages) {
            unmapped.add(addr);
            return 0;
        }
    }
}
