package org.jxenstored.transport.ring;

import static org.jxenstored.xen.RingLayout.CONNECTION;
import static org.jxenstored.xen.RingLayout.ERROR;
import static org.jxenstored.xen.RingLayout.REQ;
import static org.jxenstored.xen.RingLayout.REQ_CONS;
import static org.jxenstored.xen.RingLayout.REQ_PROD;
import static org.jxenstored.xen.RingLayout.RSP;
import static org.jxenstored.xen.RingLayout.RSP_CONS;
import static org.jxenstored.xen.RingLayout.RSP_PROD;
import static org.jxenstored.xen.RingLayout.SERVER_FEATURES;
import static org.jxenstored.xen.RingLayout.XENSTORE_RING_SIZE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A {@code xenstore_domain_interface} page shared with a guest: two 1 KiB byte rings and their free-running
 * indexes. Index words are read with acquire and written with release semantics, so the bytes a producer wrote are
 * visible before its index moves (the ring protocol's ordering, as the kernel's barriers provide it). Everything the
 * guest can write is untrusted: callers validate index distances before using them. Either side of the ring can be
 * driven through this class: the server, and the simulated guests of tests.
 */
public final class RingPage {
    private static final VarHandle INT =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final int MASK = XENSTORE_RING_SIZE - 1;

    private final ByteBuffer page;

    public RingPage(ByteBuffer page) {
        if (page.capacity() < 4096 || !page.isDirect()) {
            throw new IllegalArgumentException("a ring page is a direct buffer of 4096 bytes");
        }
        this.page = page;
    }

    private int load(int offset) {
        return (int) INT.getAcquire(page, offset);
    }

    private void store(int offset, int value) {
        INT.setRelease(page, offset, value);
    }

    public int reqCons() {
        return load(REQ_CONS);
    }

    public int reqProd() {
        return load(REQ_PROD);
    }

    public int rspCons() {
        return load(RSP_CONS);
    }

    public int rspProd() {
        return load(RSP_PROD);
    }

    public void setReqCons(int v) {
        store(REQ_CONS, v);
    }

    public void setReqProd(int v) {
        store(REQ_PROD, v);
    }

    public void setRspCons(int v) {
        store(RSP_CONS, v);
    }

    public void setRspProd(int v) {
        store(RSP_PROD, v);
    }

    public int serverFeatures() {
        return load(SERVER_FEATURES);
    }

    public void setServerFeatures(int features) {
        store(SERVER_FEATURES, features);
    }

    public int connection() {
        return load(CONNECTION);
    }

    public void setConnection(int state) {
        store(CONNECTION, state);
    }

    public int error() {
        return load(ERROR);
    }

    public void setError(int error) {
        store(ERROR, error);
    }

    /** Copies {@code len} bytes of the request ring starting at stream position {@code index} (wrapping). */
    public void readRequest(int index, byte[] dst, int dstOff, int len) {
        copyOut(REQ, index, dst, dstOff, len);
    }

    /** Copies {@code len} bytes of the response ring starting at stream position {@code index} (wrapping). */
    public void readResponse(int index, byte[] dst, int dstOff, int len) {
        copyOut(RSP, index, dst, dstOff, len);
    }

    public void writeRequest(int index, byte[] src, int srcOff, int len) {
        copyIn(REQ, index, src, srcOff, len);
    }

    public void writeResponse(int index, byte[] src, int srcOff, int len) {
        copyIn(RSP, index, src, srcOff, len);
    }

    private void copyOut(int ring, int index, byte[] dst, int dstOff, int len) {
        int start = index & MASK;
        int first = Math.min(len, XENSTORE_RING_SIZE - start);
        page.get(ring + start, dst, dstOff, first);
        if (first < len) {
            page.get(ring, dst, dstOff + first, len - first);
        }
    }

    private void copyIn(int ring, int index, byte[] src, int srcOff, int len) {
        int start = index & MASK;
        int first = Math.min(len, XENSTORE_RING_SIZE - start);
        page.put(ring + start, src, srcOff, first);
        if (first < len) {
            page.put(ring, src, srcOff + first, len - first);
        }
    }

    /** Zeroes the four indexes (ring reconnection: both queues empty). */
    public void resetIndexes() {
        store(REQ_CONS, 0);
        store(REQ_PROD, 0);
        store(RSP_CONS, 0);
        store(RSP_PROD, 0);
    }
}
