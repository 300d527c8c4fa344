package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Variable;
import dev.theon.print.Pretty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the rewrites records: how often each rewrite fired and, with {@code print_rewrites}, a log line for
 * each firing showing the expression before and after.
 */
public final class RewriteContext {
    private static final Logger LOG = LoggerFactory.getLogger("dev.theon.rewrite");

    private final boolean print;
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final java.util.List<String> unsettled = new java.util.ArrayList<>();

    public RewriteContext(boolean print) { this.print = print; }

    /** Records that {@code rewrite} replaced the outputs of {@code node} by {@code replacements}. */
    public void fired(String rewrite, Apply node, List<Variable> replacements) {
        counts.merge(rewrite, 1, Integer::sum);
        if (!print) return;
        StringBuilder b = new StringBuilder("rewrite ").append(rewrite).append(": ");
        for (int i = 0; i < replacements.size(); i++) {
            if (replacements.get(i) == null) continue;
            b.append(shorten(Pretty.pp(node.output(i)))).append("  ->  ").append(shorten(Pretty.pp(replacements.get(i)))).append("  ");
        }
        LOG.info(b.toString().strip());
    }

    /** An expression cut to a readable length (the operands of a node deep in a big graph print as the whole graph). */
    private static String shorten(String s) { return s.length() <= 240 ? s : s.substring(0, 120) + " ... " + s.substring(s.length() - 100); }

    /** Records a firing described in words (global passes). */
    public void fired(String rewrite, String what) {
        counts.merge(rewrite, 1, Integer::sum);
        if (print) LOG.info("rewrite " + rewrite + ": " + what);
    }

    /** Records that a phase was stopped at the round limit while rewrites still fired (a pair undoing each other). */
    void unsettled(Phase phase) { unsettled.add(phase.tag()); }

    /** How often each rewrite fired, in the order they first fired. */
    public Map<String, Integer> counts() { return Map.copyOf(counts); }

    /** "log1p x1, fusion x2" in firing order, or "none"; a phase stopped at the round limit is named at the end. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(" x").append(v));
        if (b.isEmpty()) b.append("none");
        for (String p : unsettled) b.append("; phase ").append(p).append(" did not settle");
        return b.toString();
    }

    public int total() { return counts.values().stream().mapToInt(Integer::intValue).sum(); }
}
