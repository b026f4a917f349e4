package org.jxenstored.migration;

/**
 * A named quota value of GLOBAL_QUOTA_DATA or DOMAIN_DATA. C 4.21+ names them as XS_GET_QUOTA does
 * ({@code nodes}, {@code watches}, {@code outstanding}, {@code memory}, {@code transactions},
 * {@code transaction-nodes}, {@code node-permissions}, {@code path-max}, {@code node-size}), soft limits with a
 * {@code soft-} prefix. Names a reader does not know must not change its behaviour (it may keep them for the
 * next stream).
 *
 * @param name the name, a byte string without NUL
 * @param value 0 (unlimited) to 4294967295
 */
public record QuotaValue(String name, long value) {
    public QuotaValue {
        Wire.checkName(name, "quota name");
        Wire.checkU32(value, "quota value");
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
