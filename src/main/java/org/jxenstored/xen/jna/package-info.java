/**
 * The real-Xen implementation of {@link org.jxenstored.xen.XenPlatform}: JNA bindings of libxenevtchn,
 * libxengnttab, libxenforeignmemory, libxenctrl (Xen 4.17 ABI) and the few libc calls needed. Entry point:
 * {@link org.jxenstored.xen.jna.JnaXenPlatform#openIfPresent}. Nothing native leaves this package; see
 * {@code docs/xen-platform.md} for what is bound and how the struct layouts are verified.
 */
package org.jxenstored.xen.jna;
