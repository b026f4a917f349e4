package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * libxenforeignmemory ({@code xenforeignmemory.h}, Xen 4.17, soname {@code libxenforeignmemory.so.1}): mapping
 * another domain's frames by number, the fallback when its ring page is not granted.
 */
interface XenForeignMemoryLib extends Library {
    Pointer xenforeignmemory_open(Pointer logger, int openFlags);

    int xenforeignmemory_close(Pointer fmem);

    /**
     * Maps {@code pages} frames listed in {@code arr} ({@code xen_pfn_t[]}, 64-bit). With {@code err} NULL the call
     * is all or nothing: NULL with errno set on any failure.
     */
    Pointer xenforeignmemory_map(Pointer fmem, int dom, int prot, long pages, Pointer arr, Pointer err);

    int xenforeignmemory_unmap(Pointer fmem, Pointer addr, long pages);
}
