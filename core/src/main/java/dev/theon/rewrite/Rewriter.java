package dev.theon.rewrite;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs selected rewrites over a graph, phase by phase. In a fixed-point phase each round runs merge (when selected),
 * the phase's global passes, then one pass of local rewrites over every node; rounds repeat until a round changes
 * nothing. The local rewrites of a phase are its own and those of the phases before it, so that what a stability
 * rewrite leaves (a double negation, a constant to fold) is put back into canonical form. A local rewrite's replacements are fitted to the old types ({@link Types#conform}); a replacement that
 * does not fit, or whose construction is ill-typed, means the rewrite does not apply there.
 */
public final class Rewriter {
    private static final Logger LOG = LoggerFactory.getLogger(Rewriter.class);

    /** Rounds after which a phase that still changes the graph is stopped (a rewrite pair undoing each other). */
    static final int MAX_ROUNDS = 40;

    private Rewriter() {}

    /** Rewrites {@code graph} in place with {@code selected} and returns what fired. */
    public static RewriteContext run(FunctionGraph graph, List<Rewrite> selected, boolean print) {
        RewriteContext ctx = new RewriteContext(print);
        boolean merge = false;
        for (Rewrite r : selected) merge |= r.name().equals(Merge.NAME);
        for (Phase phase : Phase.values()) {
            Map<Object, List<LocalRewrite>> byKey = new HashMap<>();
            List<LocalRewrite> everyNode = new ArrayList<>();
            List<GlobalRewrite> globals = new ArrayList<>();
            for (Rewrite r : selected) {
                if (r instanceof GlobalRewrite g) { if (g.phase() == phase && !g.name().equals(Merge.NAME)) globals.add(g); }
                else if (r instanceof LocalRewrite l && phase.toFixedPoint() && l.phase().ordinal() <= phase.ordinal()) {
                    if (l.keys().isEmpty()) everyNode.add(l);
                    else for (Object k : l.keys()) byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(l);
                }
            }
            if (!phase.toFixedPoint()) {
                if (merge) Merge.run(graph, ctx);
                for (GlobalRewrite g : globals) g.pass().run(graph, ctx);
                continue;
            }
            if (globals.isEmpty() && byKey.isEmpty() && everyNode.isEmpty() && !(merge && phase == Phase.CANONICALIZE)) continue;
            int round = 0;
            boolean changed = true;
            while (changed) {
                if (++round > MAX_ROUNDS) {
                    LOG.warn("rewrite phase {} still changed the graph after {} rounds; stopping there", phase.tag(), MAX_ROUNDS);
                    break;
                }
                changed = merge && Merge.run(graph, ctx);
                for (GlobalRewrite g : globals) changed |= g.pass().run(graph, ctx);
                changed |= localPass(graph, byKey, everyNode, ctx);
            }
        }
        return ctx;
    }

    private static boolean localPass(FunctionGraph graph, Map<Object, List<LocalRewrite>> byKey, List<LocalRewrite> everyNode, RewriteContext ctx) {
        if (byKey.isEmpty() && everyNode.isEmpty()) return false;
        boolean changed = false;
        for (Apply node : new ArrayList<>(graph.nodes())) {
            if (!graph.contains(node)) continue;
            List<LocalRewrite> rs = byKey.getOrDefault(LocalRewrite.keyOf(node.op()), List.of());
            if (tryAll(graph, node, rs, ctx) || tryAll(graph, node, everyNode, ctx)) changed = true;
        }
        return changed;
    }

    private static boolean tryAll(FunctionGraph graph, Apply node, List<LocalRewrite> rs, RewriteContext ctx) {
        for (LocalRewrite r : rs) if (apply(graph, node, r, ctx)) return true;
        return false;
    }

    /** Offers {@code node} to {@code r}; replaces its outputs when r fires. */
    static boolean apply(FunctionGraph graph, Apply node, LocalRewrite r, RewriteContext ctx) {
        List<Variable> reps;
        try {
            reps = r.fn().apply(node, graph);
        } catch (TheonException.TypeError e) {
            LOG.debug("rewrite {} does not apply to {}: {}", r.name(), node, e.getMessage());
            return false;
        }
        if (reps == null) return false;
        if (reps.size() != node.outputs().size())
            throw new IllegalStateException("rewrite " + r.name() + " gave " + reps.size() + " replacements for the " + node.outputs().size() + " outputs of " + node);
        List<Variable> fitted = new ArrayList<>(reps.size());
        boolean any = false;
        for (int i = 0; i < reps.size(); i++) {
            Variable rep = reps.get(i);
            if (rep == null || rep == node.output(i)) { fitted.add(null); continue; }
            Variable f = Types.conform(node.output(i), rep);
            if (f == null) {
                LOG.debug("rewrite {} does not apply to {}: {} does not fit {}", r.name(), node, rep.type(), node.output(i).type());
                return false;
            }
            fitted.add(f);
            any = true;
        }
        if (!any) return false;
        ctx.fired(r.name(), node, fitted);
        for (int i = 0; i < fitted.size(); i++) if (fitted.get(i) != null) graph.replace(node.output(i), fitted.get(i));
        return true;
    }
}
