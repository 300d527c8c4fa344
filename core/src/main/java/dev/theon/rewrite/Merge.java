package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Common subexpressions: equal constants (same type and values) become one, and nodes applying equal ops to the same
 * inputs become one. Ops are values with equality, so this is a hash lookup per node, in topological order so that
 * merging inputs first lets their readers merge too.
 */
final class Merge {
    static final String NAME = "merge";

    static final GlobalRewrite REWRITE = GlobalRewrite.of(NAME, Phase.CANONICALIZE, Merge::run, "merge", "fast_compile");

    private Merge() {}

    private record NodeKey(Op op, List<Variable> inputs) {}

    private record ConstKey(TensorType type, long hash) {}

    static boolean run(FunctionGraph graph, RewriteContext ctx) {
        Table t = new Table(graph, ctx);
        boolean changed = false;
        for (Apply node : new ArrayList<>(graph.nodes())) changed |= t.visit(node);
        return changed;
    }

    /**
     * What one pass has seen: the first constant of each value and the first node of each (op, inputs). A pass visits
     * nodes inputs-first; {@link #visit} merges a node into an equal one seen before.
     */
    static final class Table {
        private final FunctionGraph graph;
        private final RewriteContext ctx;
        private final Map<ConstKey, List<Constant>> constants = new HashMap<>();
        private final Map<Constant, Constant> canonical = new IdentityHashMap<>();
        private final Map<NodeKey, Apply> seen = new HashMap<>();

        Table(FunctionGraph graph, RewriteContext ctx) { this.graph = graph; this.ctx = ctx; }

        /** Merges the constants {@code node} reads, then the node itself; true when the graph changed. */
        boolean visit(Apply node) {
            if (!graph.contains(node)) return false;
            boolean changed = false;
            for (int i = 0; i < node.inputs().size(); i++) {
                if (!(node.input(i) instanceof Constant c)) continue;
                Constant same = canonical.computeIfAbsent(c, k -> find(constants, k));
                if (same != c) {
                    graph.replace(c, same);
                    ctx.fired(NAME, "constant " + c.type() + " merged");
                    changed = true;
                }
            }
            NodeKey key = new NodeKey(node.op(), List.copyOf(node.inputs()));
            Apply first = seen.get(key);
            if (first == null || first == node || !graph.contains(first)) { seen.put(key, node); return changed; }
            ctx.fired(NAME, node.op().name() + " computed twice");
            for (int i = 0; i < node.outputs().size(); i++) graph.replace(node.output(i), first.output(i));
            return true;
        }
    }

    /** The first constant equal to {@code c} met so far, or c itself (then remembered). */
    private static Constant find(Map<ConstKey, List<Constant>> constants, Constant c) {
        List<Constant> bucket = constants.computeIfAbsent(new ConstKey(c.type(), hash(c)), k -> new ArrayList<>());
        for (Constant o : bucket) if (o.sameValue(c)) return o;
        bucket.add(c);
        return c;
    }

    private static long hash(Constant c) {
        NDArray a = c.value();
        long n = a.size();
        if (n > Consts.INSPECT_LIMIT) return System.identityHashCode(c);
        long h = n;
        boolean discrete = a.dtype().isDiscrete();
        for (long i = 0; i < n; i++) h = h * 31 + (discrete ? a.flatLong(i) : Double.doubleToLongBits(a.flatDouble(i)));
        return h;
    }
}
