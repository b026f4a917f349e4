package org.jxenstored.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The quota table: one row per quota, every spelling of it derived from the row. */
class QuotaKindTest {
    @Test
    void getQuotaListsTheNamesInC422sOrder() {
        assertThat(QuotaRequests.names()).isEqualTo("nodes watches outstanding memory soft-memory transactions "
                + "transaction-nodes node-permissions path-max node-size");
    }

    @Test
    void namesAliasesAndSoftValuesResolve() {
        assertThat(QuotaKind.byWireName("permissions")).contains(QuotaKind.NODE_PERMISSIONS);
        assertThat(QuotaKind.byWireName("node-permissions")).contains(QuotaKind.NODE_PERMISSIONS);
        assertThat(QuotaKind.byWireName("soft-memory")).contains(QuotaKind.SOFT_MEMORY);
        assertThat(QuotaKind.byWireName("soft-nodes")).isEmpty();
        assertThat(QuotaKind.byWireName("bogus")).isEmpty();
        assertThat(QuotaKind.SOFT_MEMORY.item()).isEqualTo(QuotaKind.MEMORY);
    }

    @Test
    void everyRowHasItsOwnSpellingsAndItsDefaultInLimits() {
        Set<String> keys = new HashSet<>();
        Limits limits = new Limits();
        for (QuotaKind q : QuotaKind.values()) {
            assertThat(keys.add(q.confKey)).as("config key of %s", q).isTrue();
            if (q.confAlias != null) {
                assertThat(keys.add(q.confAlias)).isTrue();
            }
            assertThat(limits.get(q)).isEqualTo(q.defaultValue);
        }
        for (int i = 0; i < QuotaKind.HARD.size(); i++) {
            assertThat(QuotaKind.HARD.get(i).ordinal()).as("accounting items index by ordinal").isEqualTo(i);
        }
    }

    @Test
    void aDomainCopiesTheGlobalValuesWhenItIsMetAndKeepsThem() {
        Limits limits = new Limits();
        QuotaPolicy quotas = new QuotaPolicy(limits);
        quotas.adopt(5);
        limits.set(QuotaKind.NODES, 7);
        assertThat(quotas.limit(5, QuotaKind.NODES)).isEqualTo(1000);
        assertThat(quotas.limit(6, QuotaKind.NODES)).as("not met yet: the global value").isEqualTo(7);
        quotas.setDomainLimit(5, QuotaKind.NODES, 3);
        assertThat(quotas.limit(5, QuotaKind.NODES)).isEqualTo(3);
    }
}
