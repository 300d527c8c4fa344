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
            long merged = -1;  // the graph's version when merge last ran
            while (changed) {
                if (++round > MAX_ROUNDS) {
                    LOG.warn("rewrite phase {} still changed the graph after {} rounds; stopping there", phase.tag(), MAX_ROUNDS);
                    ctx.unsettled(phase);
                    break;
                }
                changed = false;
                for (GlobalRewrite g : globals) changed |= g.pass().run(graph, ctx);
                // merge runs inside the local pass: one walk over the graph per round
                boolean locals = !byKey.isEmpty() || !everyNode.isEmpty();
                if (locals) changed |= localPass(graph, byKey, everyNode, merge ? new Merge.Table(graph, ctx) : null, ctx);
                else if (merge && graph.version() != merged) changed |= Merge.run(graph, ctx);
                merged = graph.version();
            }
        }
        return ctx;
    }

    /**
     * One pass over the nodes in topological order. When a rewrite fires, the nodes computing its replacements are
     * offered the rewrites at once (not only in the next round), so chains of rewrites settle in few rounds.
     */
    private static boolean localPass(FunctionGraph graph, Map<Object, List<LocalRewrite>> byKey, List<LocalRewrite> everyNode,
                                     Merge.Table merge, RewriteContext ctx) {
        boolean changed = false;
        java.util.ArrayDeque<Apply> fresh = new java.util.ArrayDeque<>();
        for (Apply node : new ArrayList<>(graph.nodes())) {
            fresh.push(node);
            int budget = 64;
            while (!fresh.isEmpty() && budget-- > 0) {
                Apply n = fresh.pop();
                if (merge != null && merge.visit(n)) changed = true;
                if (!graph.contains(n)) continue;
                List<Variable> reps = tryAll(graph, n, byKey.getOrDefault(LocalRewrite.keyOf(n.op()), List.of()), ctx);
                if (reps == null) reps = tryAll(graph, n, everyNode, ctx);
                if (reps == null) continue;
                changed = true;
                for (Variable r : reps) if (r != null && r.owner() != null) fresh.push(r.owner());
            }
            fresh.clear();
        }
        return changed;
    }

    /** The replacements of the first rewrite that fires on {@code node}, or null. */
    private static List<Variable> tryAll(FunctionGraph graph, Apply node, List<LocalRewrite> rs, RewriteContext ctx) {
        for (LocalRewrite r : rs) {
            List<Variable> reps = apply(graph, node, r, ctx);
            if (reps != null) return reps;
        }
        return null;
    }

    /** Offers {@code node} to {@code r}; replaces its outputs when r fires and returns the replacements, else null. */
    static List<Variable> apply(FunctionGraph graph, Apply node, LocalRewrite r, RewriteContext ctx) {
        List<Variable> reps;
        try {
            reps = r.fn().apply(node, graph);
        } catch (TheonException.TypeError | IllegalArgumentException e) {
            // the replacement could not be built (an op's type rule refused it): the rewrite does not apply here
            LOG.debug("rewrite {} does not apply to {}: {}", r.name(), node, e.getMessage());
            return null;
        }
        if (reps == null) return null;
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
                return null;
            }
            fitted.add(f);
            any = true;
        }
        if (!any) return null;
        ctx.fired(r.name(), node, fitted);
        for (int i = 0; i < fitted.size(); i++) if (fitted.get(i) != null) graph.replace(node.output(i), fitted.get(i));
        return fitted;
    }
}
