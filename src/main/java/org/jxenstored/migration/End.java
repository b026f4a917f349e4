package org.jxenstored.migration;

/** END: the last record of every stream; its body is empty. */
public record End() implements MigrationRecord {
    public static final End INSTANCE = new End();

    @Override
    public int type() {
        return RecordType.END;
    }

    @Override
    public String toString() {
        return "END";
    }
}
