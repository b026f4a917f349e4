package org.jxenstored.control;

import java.util.List;
import java.util.Optional;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quota [set <name> <val>|<domid>]} and {@code quota-soft [set <name> <val>]}, with C xenstored's output:
 * the quota table, a change of one quota (effective at once), or what a domain uses (ENOENT for a domain that is
 * not introduced).
 */
public final class QuotaCommand implements ControlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaCommand.class);

    private final Server server;
    private final DomainView domains;
    private final boolean soft;

    private QuotaCommand(Server server, DomainView domains, boolean soft) {
        this.server = server;
        this.domains = domains;
        this.soft = soft;
    }

    public static QuotaCommand hard(Server server, DomainView domains) {
        return new QuotaCommand(server, domains, false);
    }

    public static QuotaCommand soft(Server server) {
        return new QuotaCommand(server, null, true);
    }

    @Override
    public String name() {
        return soft ? "quota-soft" : "quota";
    }

    @Override
    public String usage() {
        return soft ? "[set <name> <val>]" : "[set <name> <val>|<domid>]";
    }

    private List<Quotas.Quota> table() {
        return soft ? Quotas.SOFT : Quotas.HARD;
    }

    @Override
    public String run(String[] args) {
        if (args.length == 0) {
            return Quotas.describe(table(), server.limits());
        }
        if ("set".equals(args[0])) {
            if (args.length != 3) {
                throw XsError.EINVAL.exception();
            }
            Optional<Quotas.Quota> q = Quotas.find(table(), args[1]);
            if (q.isEmpty()) {
                throw XsError.EINVAL.exception();
            }
            int value;
            try {
                value = Integer.parseInt(args[2]);
            } catch (NumberFormatException e) {
                throw XsError.EINVAL.exception();
            }
            if (value < 0) {
                throw XsError.EINVAL.exception();
            }
            q.get().set().accept(server.limits(), value);
            LOG.info("{} {} set to {}", name(), q.get().name(), value);
            return "OK";
        }
        if (soft || args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        long domid = CNumbers.atoiUnsigned(args[0]);
        if (domid > Integer.MAX_VALUE || !domains.introduced((int) domid)) {
            throw XsError.ENOENT.exception();
        }
        Usage u = Usage.of(server, (int) domid);
        // nodes and memory as the store accounts them (what the quotas are checked against: memory is its nodes
        // plus what it holds in watches, waiting output and open transactions), each against the domain's limit
        // (its own from SET_QUOTA, else the global one; 0 = unlimited)
        int d = (int) domid;
        return "Domain " + domid + ":\n"
                + line(d, "nodes", server.store().usage().nodes(d))
                + line(d, "watches", u.watches)
                + line(d, "transactions", u.transactions)
                + line(d, "outstanding", u.outstanding)
                + line(d, "memory", server.store().usage().bytes(d) + server.quotas().held().total(d));
    }

    private String line(int domid, String name, long value) {
        int global = Quotas.find(Quotas.HARD, name).map(q -> q.get().applyAsInt(server.limits())).orElse(0);
        int limit = server.quotas().limit(domid, name, global);
        return String.format("%-16s: %8d of %8d\n", name, value, limit);
    }
}
