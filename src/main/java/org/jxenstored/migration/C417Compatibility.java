package org.jxenstored.migration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Whether C xenstored 4.17 (Debian 12) can restore a stream, as the successor of a live update
 * ({@code lu_read_state}, {@code tools/xenstore/xenstored_control.c} 699-747 of stable-4.17, and the
 * {@code read_state_*} functions it calls). 4.17's reader trusts its input: every rule below is something it does
 * not check, and breaking it kills the successor ({@code barf}, a crash) or corrupts the restored state
 * ({@link Rule#fatal()}), or silently drops part of the state (the others). Rollback to 4.17 is only safe with
 * no fatal violation; {@link Report#lossless()} also excludes the losses.
 *
 * <p>The stream must be well formed ({@link MigrationReader} throws otherwise). The check streams too: it keeps the
 * paths of the nodes seen (the parent check needs them), the connections, and at most
 * {@link Options#maxViolations()} violations.
 */
public final class C417Compatibility {
    private C417Compatibility() {
    }

    /** What 4.17's reader needs; the line numbers are stable-4.17's {@code tools/xenstore/}. */
    public enum Rule {
        /** {@code lu_read_state}: {@code pre->version != htobe32(1)} → barf "Unknown record identifier" (control.c 713). */
        VERSION(true, "4.17 reads version 1 only"),
        /** The flags must equal the host's byte order (control.c 714). */
        BYTE_ORDER(true, "4.17 reads only streams in its host's byte order"),
        /**
         * GLOBAL_DATA first: {@code read_state_global} calls {@code domain_init(evtchn_fd)} (core.c 3207), which
         * opens the xc, gnttab and event channel handles every CONNECTION and NODE record needs.
         */
        GLOBAL_FIRST(true, "GLOBAL_DATA must be the first record"),
        /**
         * A ring CONNECTION_DATA of the master domain (Dom0) before any NODE: only {@code introduce_domain} of the
         * master domain calls {@code setup_structure(true)} (domain.c 622), which creates the node database.
         */
        MASTER_RING_BEFORE_NODES(true, "the master domain's ring connection must precede the nodes"),
        /**
         * Two ring connections of one domain: the second {@code introduce_domain(restore)} finds the domain
         * introduced and rebinds its event channel with the local port as if it were the remote one, and both
         * records fill the same connection.
         */
        DUPLICATE_RING(true, "one ring connection per domain"),
        /**
         * {@code read_state_node} ignores conn-id and tx-id (core.c 3325): a pending node would be written into
         * the committed tree.
         */
        PENDING_NODE(true, "no pending (transaction) nodes"),
        /** The parent must be restored first: barf "read parent error restoring node" (core.c 3382). */
        PARENT_FIRST(true, "nodes in pre-order: parent before child"),
        /**
         * A node record replaces the node whole, children list included (core.c 3388-3393): {@code /} after other
         * nodes, or a node twice, orphans children and lists one child twice.
         */
        NODE_ONCE(true, "each node once, the root before the others"),
        /**
         * The owner must be a domain the successor knows or Xen reports: {@code domain_entry_inc} →
         * {@code find_or_alloc_existing_domain} fails → barf "node accounting error restoring node" (core.c 3396,
         * domain.c 488).
         */
        OWNER_KNOWN(true, "every node's owner must be a known domain"),
        /**
         * A pending output message must be whole: {@code read_state_buffered_data} takes each header's length as
         * given and copies that much (core.c 3318), past the end of the record if it lies.
         */
        OUT_DATA_FRAMING(true, "pending output must be whole messages"),
        /** Special nodes other than {@code @releaseDomain} and {@code @introduceDomain} are ignored (domain.c 865). */
        SPECIAL_NODE(false, "unknown special node ignored"),
        /** WATCH_DATA_EXTENDED is an unknown record to 4.17: skipped (control.c 737), the watch is lost. */
        WATCH_EXTENDED(false, "extended watch skipped: the watch is lost"),
        /** 4.17 restores a watch twice (no duplicate check on restore, watch.c 211): every event comes twice. */
        DUPLICATE_WATCH(false, "duplicate watch restored twice"),
        /**
         * TRANSACTION_DATA is ignored (control.c 731), GLOBAL_QUOTA_DATA and DOMAIN_DATA and reserved types are
         * unknown records to 4.17 (control.c 737): transactions, quotas and features are lost.
         */
        IGNORED_RECORD(false, "record ignored by 4.17"),
        /** A pending request longer than 4096 bytes: 4.17 would never have read it from a connection. */
        OVERSIZED_REQUEST(false, "pending request longer than XENSTORE_PAYLOAD_MAX");

        private final boolean fatal;
        private final String summary;

        Rule(boolean fatal, String summary) {
            this.fatal = fatal;
            this.summary = summary;
        }

        /** Whether breaking it kills 4.17's successor or corrupts its state (else state is lost). */
        public boolean fatal() {
            return fatal;
        }

        public String summary() {
            return summary;
        }
    }

    /**
     * One rule broken.
     *
     * @param offset the offending record's stream offset (-1 for the stream as a whole)
     * @param rule the rule
     * @param detail what broke it
     */
    public record Violation(long offset, Rule rule, String detail) {
        @Override
        public String toString() {
            return (rule.fatal() ? "FATAL " : "LOST ") + rule + " at " + offset + ": " + detail;
        }
    }

    /**
     * The result.
     *
     * @param header the stream's header
     * @param violations the first {@link Options#maxViolations()} violations, in stream order
     * @param suppressed how many more there were
     * @param fatalCount how many fatal violations there were in all
     */
    public record Report(StreamHeader header, List<Violation> violations, long suppressed, long fatalCount) {
        /** No fatal violation: 4.17 restores the stream, possibly losing what the other violations say. */
        public boolean compatible() {
            return fatalCount == 0;
        }

        /** No violation at all: 4.17 restores everything in the stream. */
        public boolean lossless() {
            return violations.isEmpty() && suppressed == 0;
        }

        /** The rules broken, in order of first violation. */
        public List<Rule> rules() {
            List<Rule> out = new ArrayList<>();
            for (Violation v : violations) {
                if (!out.contains(v.rule())) {
                    out.add(v.rule());
                }
            }
            return out;
        }
    }

    /**
     * What to check against.
     *
     * @param masterDomid the master domain ({@code xenbus_master_domid()}, 0 but for a stub-domain xenstored)
     * @param domainExists domains Xen reports at the time of the update (a node may be owned by a domain with no
     *     connection in the stream if it exists); by default none
     * @param hostOrder the byte order of the host that will read the stream
     * @param maxViolations how many violations to keep
     */
    public record Options(int masterDomid, IntPredicate domainExists, ByteOrder hostOrder, int maxViolations) {
        public static Options defaults() {
            return new Options(0, d -> false, ByteOrder.LITTLE_ENDIAN, 1000);
        }

        public Options withDomainExists(IntPredicate exists) {
            return new Options(masterDomid, exists, hostOrder, maxViolations);
        }

        public Options withHostOrder(ByteOrder order) {
            return new Options(masterDomid, domainExists, order, maxViolations);
        }
    }

    /** Checks a whole stream with {@link Options#defaults()}. */
    public static Report check(byte[] stream) throws IOException {
        try (MigrationReader r = MigrationReader.from(stream)) {
            return check(r, Options.defaults());
        }
    }

    /** Checks a stream file with {@link Options#defaults()}. */
    public static Report check(Path stream) throws IOException {
        try (MigrationReader r = MigrationReader.from(stream)) {
            return check(r, Options.defaults());
        }
    }

    /**
     * Reads the rest of {@code reader} and checks it.
     *
     * @throws MigrationStreamException if the stream is not well formed
     */
    public static Report check(MigrationReader reader, Options options) throws IOException {
        Checker c = new Checker(reader.header(), options);
        if (reader.header().version() != StreamHeader.V1) {
            c.add(0, Rule.VERSION, "version " + reader.header().version());
        }
        if (reader.header().order() != options.hostOrder()) {
            c.add(0, Rule.BYTE_ORDER, reader.header().order() + " stream for a " + options.hostOrder() + " host");
        }
        for (MigrationRecord r = reader.next(); r != null; r = reader.next()) {
            c.record(reader.recordOffset(), reader.recordType(), r);
        }
        return new Report(reader.header(), List.copyOf(c.violations), c.suppressed, c.fatal);
    }

    private static final class Checker {
        private final StreamHeader header;
        private final Options options;
        final List<Violation> violations = new ArrayList<>();
        long suppressed;
        long fatal;
        private boolean first = true;
        private boolean global;
        private boolean masterRing;
        private boolean regularNode;
        private final BitSet rings = new BitSet();
        /** Domains 4.17 would have a struct for: ring connections, their targets, owners found existing. */
        private final BitSet domains = new BitSet();
        private final Map<Integer, Integer> ringDomid = new HashMap<>();
        private final Set<String> nodes = new HashSet<>();
        private final Set<String> watches = new HashSet<>();

        Checker(StreamHeader header, Options options) {
            this.header = header;
            this.options = options;
        }

        void add(long offset, Rule rule, String detail) {
            if (rule.fatal()) {
                fatal++;
            }
            if (violations.size() < options.maxViolations()) {
                violations.add(new Violation(offset, rule, detail));
            } else {
                suppressed++;
            }
        }

        void record(long at, int type, MigrationRecord r) {
            if (first && !(r instanceof GlobalData) && !(r instanceof End)) {
                add(at, Rule.GLOBAL_FIRST, "first record is " + RecordType.name(r.type()));
            }
            if (r instanceof End && !global) {
                add(at, Rule.GLOBAL_FIRST, "no GLOBAL_DATA");
            }
            first = false;
            if (type == RecordType.WATCH_DATA_EXTENDED && r instanceof WatchData w) {
                // C 4.21+'s layout, read as a plain watch: still an unknown record type to 4.17
                add(at, Rule.WATCH_EXTENDED, "conn " + Integer.toUnsignedString(w.connId()) + " " + Wire.quote(w.path())
                        + " token " + Wire.quote(w.token()) + " (C 4.21+ layout)");
            } else if (r instanceof NodeData n) {
                node(at, n);
            } else if (r instanceof ConnectionData c) {
                connection(at, c);
            } else if (r instanceof WatchData w) {
                watch(at, w.connId(), w.path(), w.token());
            } else if (r instanceof GlobalData) {
                global = true;
            } else if (r instanceof WatchDataExtended w) {
                add(at, Rule.WATCH_EXTENDED, "conn " + Integer.toUnsignedString(w.connId()) + " " + Wire.quote(w.path())
                        + " token " + Wire.quote(w.token()));
            } else if (!(r instanceof End)) {
                add(at, Rule.IGNORED_RECORD, RecordType.name(r.type()));
            }
        }

        private void connection(long at, ConnectionData c) {
            if (c.spec() instanceof ConnectionData.Ring ring) {
                if (rings.get(ring.domid())) {
                    add(at, Rule.DUPLICATE_RING, "second ring connection of domain " + ring.domid());
                }
                rings.set(ring.domid());
                domains.set(ring.domid());
                if (ring.targetDomid() != ConnectionData.DOMID_INVALID) {
                    domains.set(ring.targetDomid()); // find_or_alloc_domain
                }
                if (ring.domid() == options.masterDomid()) {
                    masterRing = true;
                }
                ringDomid.put(c.connId(), ring.domid());
            }
            inData(at, c);
            outData(at, c);
        }

        private void inData(long at, ConnectionData c) {
            ByteBuffer b = ByteBuffer.wrap(c.inData()).order(header.order());
            while (b.remaining() >= 16) {
                long len = Integer.toUnsignedLong(b.getInt(b.position() + 12));
                if (len > 4096) {
                    add(at, Rule.OVERSIZED_REQUEST, "conn " + Integer.toUnsignedString(c.connId()) + ": request of "
                            + len + " bytes");
                }
                b.position((int) Math.min(b.limit(), b.position() + 16 + len));
            }
        }

        private void outData(long at, ConnectionData c) {
            ByteBuffer b = ByteBuffer.wrap(c.outData()).order(header.order());
            b.position(c.outRespLen());
            while (b.hasRemaining()) {
                if (b.remaining() < 16) {
                    add(at, Rule.OUT_DATA_FRAMING, "conn " + Integer.toUnsignedString(c.connId()) + ": "
                            + b.remaining() + " bytes left at out-data byte " + b.position() + ", less than a header");
                    return;
                }
                long len = Integer.toUnsignedLong(b.getInt(b.position() + 12));
                if (len > b.remaining() - 16) {
                    add(at, Rule.OUT_DATA_FRAMING, "conn " + Integer.toUnsignedString(c.connId()) + ": message at "
                            + "out-data byte " + b.position() + " claims " + len + " bytes, " + (b.remaining() - 16)
                            + " left");
                    return;
                }
                b.position((int) (b.position() + 16 + len));
            }
        }

        private void watch(long at, int connId, String path, String token) {
            String key = connId + "\0" + absolute(connId, path) + "\0" + token;
            if (!watches.add(key)) {
                add(at, Rule.DUPLICATE_WATCH, "conn " + Integer.toUnsignedString(connId) + " " + Wire.quote(path)
                        + " token " + Wire.quote(token));
            }
        }

        /** A relative watch path made absolute as 4.17 does ({@code get_implicit_path}); sockets act as Dom0. */
        private String absolute(int connId, String path) {
            if (path.startsWith("/") || path.startsWith("@")) {
                return path;
            }
            return "/local/domain/" + ringDomid.getOrDefault(connId, 0) + "/" + path;
        }

        private void node(long at, NodeData n) {
            String p = n.path();
            if (n.pending()) {
                add(at, Rule.PENDING_NODE, Wire.quote(p) + " of transaction " + Integer.toUnsignedString(n.txId())
                        + " on conn " + Integer.toUnsignedString(n.connId()));
            }
            if (!masterRing) {
                add(at, Rule.MASTER_RING_BEFORE_NODES, "node " + Wire.quote(p) + " before a ring connection of domain "
                        + options.masterDomid());
                masterRing = true; // once is enough
            }
            if (p.startsWith("@")) {
                if (!p.equals("@releaseDomain") && !p.equals("@introduceDomain")) {
                    add(at, Rule.SPECIAL_NODE, Wire.quote(p));
                }
                return; // set_perms_special: no parent, no accounting
            }
            if (p.equals("/")) {
                if (regularNode) {
                    add(at, Rule.NODE_ONCE, "\"/\" after other nodes");
                }
            } else {
                String parent = parent(p);
                if (!parent.equals("/") && !nodes.contains(parent)) {
                    add(at, Rule.PARENT_FIRST, Wire.quote(p) + " before its parent");
                }
            }
            regularNode = true;
            if (!nodes.add(p) && !p.equals("/")) {
                add(at, Rule.NODE_ONCE, Wire.quote(p) + " twice");
            }
            int owner = n.owner();
            if (owner >= 0 && !domains.get(owner)) {
                if (owner == options.masterDomid() || options.domainExists().test(owner)) {
                    domains.set(owner);
                } else {
                    add(at, Rule.OWNER_KNOWN, Wire.quote(p) + " owned by domain " + owner
                            + ", which has no ring connection and is not reported alive");
                }
            }
        }

        private static String parent(String path) {
            int slash = path.lastIndexOf('/');
            return slash <= 0 ? "/" : path.substring(0, slash);
        }
    }
}
