package org.jxenstored.transport.ring;

/**
 * A ring connection's traffic as a restart needs it ({@link RingConnection#captureState()}): the migration
 * stream's CONNECTION_DATA in-data and out-data, tied to the ring indexes they start from.
 *
 * @param reqCons the request ring's consumer index as read (published to the page or not yet)
 * @param inData bytes taken from the ring and not yet served: whole requests first, then at most one partial one
 * @param rspProd the response ring's producer index when captured
 * @param outData every byte of output not yet in the ring at {@code rspProd}: the first may be the rest of a
 *     message partly written
 * @param credit the domain's write credit (XSA-206) when captured, NaN when it has none
 * @param outPartial how many bytes at the start of {@code outData} finish a message partly written to the ring
 *     (the migration stream's out-resp-len); 0 when it starts with a whole message
 */
public record RingState(int reqCons, byte[] inData, int rspProd, byte[] outData, double credit, int outPartial) {
    /** Traffic without write credit (a gate that keeps none, or a state from C xenstored). */
    public RingState(int reqCons, byte[] inData, int rspProd, byte[] outData) {
        this(reqCons, inData, rspProd, outData, Double.NaN, 0);
    }

    public RingState(int reqCons, byte[] inData, int rspProd, byte[] outData, double credit) {
        this(reqCons, inData, rspProd, outData, credit, 0);
    }
}
