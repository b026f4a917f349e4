package org.jxenstored.xen.jna;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A library function the binding can do without: {@link XenLibraries} does not require it when it loads the
 * library, and a call of it where it is missing throws {@link UnsatisfiedLinkError}, which the caller handles. (The
 * anchors' Xen shim, for one, offers no {@code xc_version} nor {@code xc_evtchn_status}.)
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface OptionalFunction {
}
