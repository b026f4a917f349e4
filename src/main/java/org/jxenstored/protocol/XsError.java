package org.jxenstored.protocol;

import java.nio.charset.StandardCharsets;

/** The errno names of {@code xsd_errors[]} in {@code xs_wire.h}: the only error strings a client understands. */
public enum XsError {
    EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN,
    E2BIG, EPERM;

    private final byte[] wire = (name() + '\0').getBytes(StandardCharsets.US_ASCII);

    /** The NUL-terminated payload of an ERROR reply. Shared: callers must not modify it. */
    public byte[] wirePayload() {
        return wire;
    }

    /** A stackless exception carrying this error, cheap enough to throw on the request path. */
    public XsException exception() {
        return XsException.of(this);
    }
}
