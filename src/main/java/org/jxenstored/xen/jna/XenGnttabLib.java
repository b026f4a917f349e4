package org.jxenstored.xen.jna;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/** libxengnttab ({@code xengnttab.h}, Xen 4.17, soname {@code libxengnttab.so.1}): mapping another domain's grants. */
interface XenGnttabLib extends Library {
    Pointer xengnttab_open(Pointer logger, int openFlags);

    int xengnttab_close(Pointer xgt);

    /** Maps one granted page; {@code prot} as for mmap. NULL with errno set on failure. */
    Pointer xengnttab_map_grant_ref(Pointer xgt, int domid, int ref, int prot);

    int xengnttab_unmap(Pointer xgt, Pointer startAddress, int count);
}
