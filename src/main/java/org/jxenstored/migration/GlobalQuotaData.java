package org.jxenstored.migration;

import java.util.List;

/**
 * GLOBAL_QUOTA_DATA ({@code xs_state_glb_quota}): the daemon's quota settings. Written by C 4.21+ only (4.17 keeps
 * its quotas on the command line: a {@code quota set} does not survive its live update).
 *
 * <pre>
 *  0: n-dom-quota u16 | 2: n-glob-quota u16 | 4: n-dom-quota + n-glob-quota values u32
 *     then as many NUL-terminated names, pad to 8
 * </pre>
 *
 * @param domainQuotas defaults applying to each domain (C writes all its quotas here)
 * @param globalQuotas values applying globally only
 */
public record GlobalQuotaData(List<QuotaValue> domainQuotas, List<QuotaValue> globalQuotas)
        implements MigrationRecord {
    public GlobalQuotaData {
        domainQuotas = List.copyOf(domainQuotas);
        globalQuotas = List.copyOf(globalQuotas);
        Wire.checkU16(domainQuotas.size(), "per-domain quota count");
        Wire.checkU16(globalQuotas.size(), "global quota count");
    }

    @Override
    public int type() {
        return RecordType.GLOBAL_QUOTA_DATA;
    }

    @Override
    public String toString() {
        return "GLOBAL_QUOTA domain=" + domainQuotas + " global=" + globalQuotas;
    }
}
