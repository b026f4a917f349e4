package org.jxenstored.persist;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jxenstored.domain.Domains;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.Server;
import org.jxenstored.server.SpecialNodes;

/** What the daemon keeps outside the tree and the connections, as one DOMAINS record ({@link Records}). */
final class DomainStateRecord {
    private DomainStateRecord() {
    }

    /** Appends the record: global quotas, each domain's own, the special nodes' permissions, the domain table. */
    static void encode(RecordBuffer b, Server server, Domains domains) {
        Map<String, Integer> global = new LinkedHashMap<>();
        for (QuotaKind q : QuotaKind.values()) {
            global.put(q.wireName(), server.limits().get(q));
        }
        Map<Integer, Map<String, Integer>> accounts = new LinkedHashMap<>();
        server.quotas().forEachAccount((domid, a) -> {
            Map<String, Integer> values = new LinkedHashMap<>();
            for (QuotaKind q : QuotaKind.values()) {
                values.put(q.wireName(), a.value(q));
            }
            accounts.put(domid, values);
        });
        Records.domains(b, global, accounts, server.specialNodes().perms(SpecialNodes.INTRODUCE_DOMAIN),
                server.specialNodes().perms(SpecialNodes.RELEASE_DOMAIN), domains.persistentState());
    }

    /** The record alone, as bytes. */
    static byte[] encode(Server server, Domains domains) {
        RecordBuffer b = new RecordBuffer(4096);
        encode(b, server, domains);
        byte[] out = new byte[b.size()];
        b.contents().get(out);
        return out;
    }
}
