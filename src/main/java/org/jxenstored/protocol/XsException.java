package org.jxenstored.protocol;

import java.util.EnumMap;
import java.util.Map;

/**
 * A request failed with an xenstore error. Stackless and preallocated: errors are ordinary answers here
 * (ENOENT on a missing node is the daily case), so throwing one must cost no more than a return.
 */
public final class XsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Map<XsError, XsException> SHARED = new EnumMap<>(XsError.class);

    static {
        for (XsError e : XsError.values()) {
            SHARED.put(e, new XsException(e));
        }
    }

    private final XsError error;

    private XsException(XsError error) {
        super(error.name(), null, false, false);
        this.error = error;
    }

    public static XsException of(XsError error) {
        return SHARED.get(error);
    }

    public XsError error() {
        return error;
    }
}
