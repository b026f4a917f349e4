package org.jxenstored.control;

import java.util.List;
import java.util.Optional;
import org.jxenstored.protocol.CNumbers;
import org.jxenstored.protocol.XsError;
import org.jxenstored.server.Connection;
import org.jxenstored.server.QuotaKind;
import org.jxenstored.server.QuotaPolicy;
import org.jxenstored.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code quota [set <name> <val>|<domid>|max [-r]]} and {@code quota-soft [set <name> <val>]}, with C xenstored
 * 4.22's answers:
 * <ul>
 * <li>no argument: the quota table ({@link QuotaKind#describe});</li>
 * <li>{@code set <name> <val>}: a new global value, for the domains met from now on (those known keep theirs, as
 * in C); the value is read with {@code atoi} and must be at least 1 (0, which SET_QUOTA takes for "no limit", is
 * EINVAL here, as in C);</li>
 * <li>{@code <domid>}: what a known domain (introduced, or met by SET_FEATURE, SET_QUOTA, a permission entry...)
 * uses of each accounting item and the highest value seen, {@code %-17s: %8u (max %8u)}; ENOENT for a domain the
 * daemon does not know;</li>
 * <li>{@code max [-r]}: the highest values any unprivileged domain reached, optionally starting afresh.</li>
 * </ul>
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
        return soft ? "[set <name> <val>]" : "[set <name> <val>|<domid>|max [-r]]";
    }

    private List<QuotaKind> table() {
        return soft ? QuotaKind.SOFT : QuotaKind.HARD;
    }

    @Override
    public String run(String[] args) {
        if (args.length == 0) {
            return QuotaKind.describe(table(), server.limits());
        }
        if ("set".equals(args[0])) {
            return set(args);
        }
        if (soft) {
            throw XsError.EINVAL.exception();
        }
        if ("max".equals(args[0])) {
            return max(args);
        }
        if (args.length != 1) {
            throw XsError.EINVAL.exception();
        }
        return domain((int) CNumbers.atoiUnsigned(args[0]));
    }

    private String set(String[] args) {
        if (args.length != 3) {
            throw XsError.EINVAL.exception();
        }
        int value = (int) CNumbers.atoiUnsigned(args[2]); // C: int val = atoi(...)
        if (value < 1) {
            throw XsError.EINVAL.exception();
        }
        Optional<QuotaKind> q = soft ? QuotaKind.soft(args[1]) : QuotaKind.hard(args[1]);
        if (q.isEmpty()) {
            throw XsError.EINVAL.exception();
        }
        server.limits().set(q.get(), value);
        server.persistence().domainStateChanged();
        LOG.info("{} {} set to {}", name(), q.get().cName, value);
        return "OK";
    }

    private String max(String[] args) {
        if (args.length > 2 || (args.length == 2 && !"-r".equals(args[1]))) {
            throw XsError.EINVAL.exception();
        }
        QuotaPolicy quotas = server.quotas();
        if (args.length == 2) {
            quotas.resetMaxima(this::current);
        }
        StringBuilder sb = new StringBuilder("Max. seen accounting values:\n");
        for (QuotaKind item : QuotaKind.HARD) {
            sb.append(String.format("%-17s: %8d\n", item.cName, quotas.globalMax(item)));
        }
        return sb.toString();
    }

    private String domain(int domid) {
        QuotaPolicy quotas = server.quotas();
        boolean introduced = domains.introduced(domid);
        if (!introduced && quotas.known(domid) && !server.domains().mayExist(domid)) {
            quotas.forget(domid); // met before, gone since
        }
        QuotaPolicy.Account account = quotas.account(domid);
        if (account == null && !introduced) {
            throw XsError.ENOENT.exception();
        }
        long[] now = current(domid);
        StringBuilder sb = new StringBuilder("Domain " + Integer.toUnsignedString(domid) + ":\n");
        for (QuotaKind item : QuotaKind.HARD) {
            int i = item.ordinal();
            long max = account == null ? now[i] : Math.max(now[i], account.max(item));
            sb.append(String.format("%-17s: %8d (max %8d)\n", item.cName, now[i], max));
        }
        return sb.toString();
    }

    /**
     * What {@code domid} uses now of each accounting item: nodes and memory as the store accounts them (memory is
     * its nodes plus what it holds in watches, waiting output and open transactions), its watches, waiting replies
     * and events, and open transactions. The per-request items (transaction-nodes, node-permissions, path-max,
     * node-size) have no current value (0, as in C); only their maxima count.
     */
    private long[] current(int domid) {
        QuotaPolicy quotas = server.quotas();
        QuotaPolicy.Account account = quotas.account(domid);
        long[] now = new long[QuotaKind.HARD.size()];
        now[QuotaKind.NODES.ordinal()] = server.store().usage().nodes(domid);
        now[QuotaKind.MEMORY.ordinal()] = server.store().usage().bytes(domid) + quotas.held().total(domid);
        if (account != null) {
            now[QuotaKind.WATCHES.ordinal()] = account.watches();
            now[QuotaKind.TRANSACTIONS.ordinal()] = account.transactions();
        }
        for (Connection c : server.connections()) {
            if (c.domid() == domid) {
                now[QuotaKind.OUTSTANDING.ordinal()] += c.waitingCount();
            }
        }
        return now;
    }
}
