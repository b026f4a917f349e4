package org.jxenstored.stats;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text exposition format (0.0.4), as node_exporter's textfile collector reads it:
 * HELP and TYPE lines, then samples; every sample belongs to a declared family, a family's lines are together,
 * label values are quoted and escaped, values are numbers, and the text ends with a newline.
 */
final class PrometheusText {
    /** A label value: anything but a quote, backslash or newline, or one of those escaped. */
    private static final String VALUE = "(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*";
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"" + VALUE + "\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(" + VALUE + ")\"");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "summary", "histogram", "untyped");

    private PrometheusText() {
    }

    /** The samples, by {@code name{label="value",...}} as written; IllegalArgumentException for anything invalid. */
    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the text does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        Map<String, Double> samples = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ", 4);
                if (parts.length < 4) {
                    throw new IllegalArgumentException(lineNo + ": malformed: " + line);
                }
                String family = parts[2];
                if (!family.equals(current)) {
                    if (current != null) {
                        finished.add(current);
                    }
                    if (finished.contains(family)) {
                        throw new IllegalArgumentException(lineNo + ": family " + family + " seen before");
                    }
                    current = family;
                }
                if (line.startsWith("# TYPE ")) {
                    if (!TYPES.contains(parts[3]) || types.put(family, parts[3]) != null) {
                        throw new IllegalArgumentException(lineNo + ": bad or repeated TYPE: " + line);
                    }
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException(lineNo + ": not a sample: " + line);
            }
            String name = m.group(1);
            String family = familyOf(name, types);
            if (family == null || !family.equals(current)) {
                throw new IllegalArgumentException(lineNo + ": sample outside its family's block: " + line);
            }
            if ("summary".equals(types.get(family)) && name.equals(family)
                    && (m.group(3) == null || !m.group(3).contains("quantile="))) {
                throw new IllegalArgumentException(lineNo + ": summary sample without quantile: " + line);
            }
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    if (l.group(1).startsWith("__")) {
                        throw new IllegalArgumentException(lineNo + ": reserved label: " + line);
                    }
                }
            }
            double v;
            try {
                v = Double.parseDouble(m.group(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(lineNo + ": bad value: " + line);
            }
            String key = name + (m.group(2) == null ? "" : m.group(2));
            if (samples.put(key, v) != null) {
                throw new IllegalArgumentException(lineNo + ": repeated sample: " + line);
            }
        }
        return samples;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_sum", "_count", "_bucket"}) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("summary".equals(t) || "histogram".equals(t)) {
                    return base;
                }
            }
        }
        return null;
    }
}
