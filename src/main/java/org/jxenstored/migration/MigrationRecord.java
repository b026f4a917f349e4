package org.jxenstored.migration;

/**
 * One record of a migration stream. Every record type of versions 1 and 2 has its own class; a record of a type
 * the specification reserves for the future is read as an {@link UnknownRecord}.
 *
 * <p>Records validate their fields when constructed (an {@link IllegalArgumentException} names the field), so a
 * record that exists can be written. Byte arrays in records are not copied: do not modify them.
 */
public sealed interface MigrationRecord
        permits End, GlobalData, ConnectionData, WatchData, WatchDataExtended, TransactionData, NodeData,
                GlobalQuotaData, DomainData, UnknownRecord {
    /** This record's type code ({@link RecordType}). */
    int type();
}
