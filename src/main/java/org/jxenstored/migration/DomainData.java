package org.jxenstored.migration;

import java.util.List;

/**
 * DOMAIN_DATA ({@code xs_state_domain}): a domain's own quotas and, in version 2, its features. At most one per
 * domain. C 4.21+ writes one for every domain it knows, after the nodes, and its reader needs the domain created
 * earlier in the stream (by a ring CONNECTION_DATA or a node it owns).
 *
 * <pre>
 *  0: domain-id u16 | 2: n-quota u16 | 4: features u32 (version 2; 0 in version 1) | 8: n-quota values u32
 *     then n-quota NUL-terminated names, pad to 8
 * </pre>
 *
 * @param domid the domain
 * @param features the {@code server_features} word the guest sees in its ring page (offset 2064); only meaningful
 *     in version 2: written as 0 and read as 0 in a version 1 stream
 * @param quotas the domain's quotas
 */
public record DomainData(int domid, long features, List<QuotaValue> quotas) implements MigrationRecord {
    public DomainData {
        Wire.checkDomid(domid, "domain id");
        Wire.checkU32(features, "features");
        quotas = List.copyOf(quotas);
        Wire.checkU16(quotas.size(), "domain quota count");
    }

    @Override
    public int type() {
        return RecordType.DOMAIN_DATA;
    }

    @Override
    public String toString() {
        return "DOMAIN " + domid + " features=0x" + Long.toHexString(features) + " quotas=" + quotas;
    }
}
