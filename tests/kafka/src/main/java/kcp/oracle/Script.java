package kcp.oracle;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenario language, parsed as the playground parses it (scenario-format.md). Only scripts that
 * the playground parsed are given to the harness, so a line that does not parse here is a harness bug.
 */
final class Script {
    /** One command line: its number, first word and the words after it. */
    record Line(int number, String word, String rest) {}

    static List<Line> lines(String text) {
        List<Line> out = new ArrayList<>();
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String t = raw[i].strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] wr = splitWord(t);
            out.add(new Line(i + 1, wr[0], wr[1]));
        }
        return out;
    }

    /** The first blank-separated word and the rest, left-trimmed. */
    static String[] splitWord(String s) {
        s = s.stripLeading();
        int i = 0;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return new String[] {s.substring(0, i), s.substring(i).stripLeading()};
    }

    /** {@code name=value} words, in order (a value may be empty). */
    static List<String[]> keyValues(String rest) {
        List<String[]> out = new ArrayList<>();
        for (String w : rest.strip().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            int eq = w.indexOf('=');
            out.add(new String[] {w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    /** {@code <topic>} or {@code <topic>/<p>}: the topic and the partition, or -1. */
    static Object[] topicPartition(String spec) {
        int slash = spec.lastIndexOf('/');
        if (slash < 0) {
            return new Object[] {spec, -1L};
        }
        return new Object[] {spec.substring(0, slash), Long.parseLong(spec.substring(slash + 1))};
    }

    /** {@code <integer><unit>}; saturates like the playground's clock arithmetic never needs more. */
    static long duration(String d) {
        int split = 0;
        while (split < d.length() && Character.isDigit(d.charAt(split))) {
            split++;
        }
        long n = Long.parseLong(d.substring(0, split));
        long scale = switch (d.substring(split)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> throw new IllegalArgumentException("not a duration: " + d);
        };
        return Math.multiplyExact(n, scale);
    }

    private Script() {}
}
