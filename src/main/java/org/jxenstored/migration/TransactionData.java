package org.jxenstored.migration;

/**
 * TRANSACTION_DATA ({@code xs_state_transaction}, 8 bytes): a transaction open on a connection. C never writes
 * it (it waits for transactions to end before a live update, or forces the update with {@code -F}) and ignores it
 * when reading (4.17 {@code xenstored_control.c} 731, HEAD {@code lu.c} 190).
 *
 * @param connId the connection's {@link ConnectionData#connId()}; not 0
 * @param txId the id TRANSACTION_START returned; not 0
 */
public record TransactionData(int connId, int txId) implements MigrationRecord {
    public TransactionData {
        if (connId == 0) {
            throw new IllegalArgumentException("connection id 0");
        }
        if (txId == 0) {
            throw new IllegalArgumentException("transaction id 0");
        }
    }

    @Override
    public int type() {
        return RecordType.TRANSACTION_DATA;
    }

    @Override
    public String toString() {
        return "TRANSACTION conn=" + Integer.toUnsignedString(connId) + " tx=" + Integer.toUnsignedString(txId);
    }
}
