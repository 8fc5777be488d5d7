package gdlab.answers;

import gdlab.answers.Question.Source;
import gdlab.report.Csv;
import gdlab.report.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of an answer, built from a run: a count of its claims' verdicts, a sentence of measured values read
 * from its summary rows, one line per claim whose wording follows the verdict (a claim that does not hold is told
 * as not holding, with what was measured and what it needed), and the key table. Nothing here knows what any
 * experiment found.
 */
final class Prose {
    /** At most this many summary rows go into the measured sentence and the key table. */
    static final int MAX_ROWS = 12;
    /** At most this many rows are told in the measured sentence (the table has them all). */
    static final int MAX_PARTS = 8;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9_]+)}");

    private Prose() {
    }

    /** The claims a source names, in its order (all of the run's when it names none); an id the run lacks is empty. */
    static Map<String, Optional<Map<String, String>>> claims(Source source, RunResults run) {
        Map<String, Optional<Map<String, String>>> picked = new LinkedHashMap<>();
        if (source.claims().isEmpty()) {
            run.claims().forEach(c -> picked.put(c.get("claim"), Optional.of(c)));
        } else {
            source.claims().forEach(id -> picked.put(id, run.claim(id)));
        }
        return picked;
    }

    /** "Of its 4 claims on this question, 3 hold, 1 does not hold." */
    static String verdictCount(Map<String, Optional<Map<String, String>>> claims) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        claims.values().forEach(c -> counts.merge(c.map(m -> m.get("verdict")).orElse("missing"), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        add(parts, counts, "holds", "hold", "holds");
        add(parts, counts, "does not hold", "do not hold", "does not hold");
        add(parts, counts, "not distinguishable", "cannot be told from seed noise",
                "cannot be told from seed noise");
        add(parts, counts, "not tested", "were not tested", "was not tested");
        add(parts, counts, "missing", "are not in the run", "is not in the run");
        int n = claims.size();
        return "Of its " + n + (n == 1 ? " claim" : " claims") + " on this question, " + join(parts) + ".";
    }

    private static void add(List<String> parts, Map<String, Integer> counts, String verdict, String plural,
                            String singular) {
        Integer k = counts.get(verdict);
        if (k != null) {
            parts.add(k + " " + (k == 1 ? singular : plural));
        }
    }

    /** One Markdown list item per claim, worded by its verdict. */
    static String claimLines(Map<String, Optional<Map<String, String>>> claims) {
        StringBuilder sb = new StringBuilder();
        claims.forEach((id, found) -> sb.append("- ").append(found.map(Prose::claimLine)
                .orElse("**Not in this run.** The claim `" + id + "` is not among its claims (a run older than "
                        + "the hypothesis?).")).append('\n'));
        return sb.toString();
    }

    static String claimLine(Map<String, String> c) {
        String statement = escape(c.getOrDefault("statement", "").strip());
        String measured = escape(c.getOrDefault("measured", "").strip());
        String expected = escape(c.getOrDefault("expected", "").strip());
        String support = escape(c.getOrDefault("support", "").strip());
        String backed = support.isEmpty() ? "" : " (" + support + ")";
        boolean integrity = "integrity".equals(c.get("kind"));
        return switch (c.getOrDefault("verdict", "")) {
            case "holds" -> "**Holds.** " + statement + " Measured: " + measured + backed + ".";
            case "not distinguishable" -> "**Cannot be told from seed noise in this run.** The hypothesis says: "
                    + statement + " Measured: " + measured + backed + ".";
            case "does not hold" -> (integrity ? "**FAILS (an integrity check: gdlab or DL4J computes something "
                    + "wrong).** " : "**Does not hold in this run.** ") + "The hypothesis says: " + statement
                    + " Measured: " + measured + backed + "; it needs " + expected + ".";
            case "not tested" -> "**Not tested by this run.** " + statement + " (" + measured + ")";
            default -> "**Verdict '" + escape(c.getOrDefault("verdict", "")) + "'.** " + statement;
        };
    }

    /** The source's summary rows (its filter applied), at most {@link #MAX_ROWS}. */
    static List<Map<String, String>> rows(Source source, RunResults run) {
        List<Map<String, String>> rows = run.rows(source.where());
        return rows.subList(0, Math.min(rows.size(), MAX_ROWS));
    }

    /**
     * "Lead: a; b; c." from the source's template, one part per row (the first and last few when there are many);
     * empty without a template or rows.
     */
    static String measuredSentence(Source source, List<Map<String, String>> rows) {
        if (source.measured().isBlank() || rows.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>(rows.stream().map(r -> fill(source.measured(), r)).toList());
        if (parts.size() > MAX_PARTS) {
            int tail = MAX_PARTS / 2;
            List<String> shown = new ArrayList<>(parts.subList(0, MAX_PARTS - tail));
            shown.add("...");
            shown.addAll(parts.subList(parts.size() - tail, parts.size()));
            parts = shown;
        }
        return escape(source.lead() + ": " + String.join("; ", parts) + ".");
    }

    /** The template with each {@code {column}} replaced by the row's value, as a person reads it. */
    static String fill(String template, Map<String, String> row) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(readable(row.get(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A CSV value as a person reads it: numbers to 4 digits, a missing or NaN value as a dash. */
    static String readable(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("NaN")) {
            return "–";
        }
        Object v = Csv.value(value);
        if (v instanceof Double d && Math.abs(d) >= 1e4 && Math.abs(d) < 1e6) {
            // 11790 ms reads better than 1.179e+04
            return String.format(Locale.ROOT, "%d", Math.round(d));
        }
        return Table.readable(v);
    }

    /** The key table: the source's columns that the summary has, over the kept rows; empty when none. */
    static String keyTable(Source source, List<Map<String, String>> rows, List<String> header) {
        List<String> columns = source.columns().stream().filter(header::contains).toList();
        if (columns.isEmpty() || rows.isEmpty()) {
            return "";
        }
        Table t = new Table(columns);
        rows.forEach(r -> t.add(columns.stream().map(c -> (Object) readable(r.get(c))).toList()));
        return t.toMarkdown();
    }

    /** Text made literal in Markdown: emphasis, links, code and HTML characters escaped. */
    static String escape(String text) {
        return text.replaceAll("([\\\\`*_\\[\\]<>#|])", "\\\\$1");
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }
}
