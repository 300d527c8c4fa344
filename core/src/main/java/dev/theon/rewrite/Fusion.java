package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Elementwise fusion: each maximal connected group of elementwise nodes ({@link Elemwise} and {@link Composite}, any
 * mix of dtypes, broadcasts and scalars) becomes one {@link Composite}, which every backend runs as one kernel.
 * <p>
 * A group grows from a node that no unvisited elementwise node reads (walking the graph from its end), through the
 * nodes it reads and the nodes that read it, under three rules:
 * <ul>
 *   <li>no cycle: a node joins only if no path leaves the group and comes back through it (checked with each node's
 *       ancestor set), so the fused node can be scheduled;</li>
 *   <li>values read outside the group become extra outputs of the fused node; they must have the group's static
 *       shape, since a fused node computes every value at the full broadcast shape. A smaller value (a bias times a
 *       constant, a scalar) joins only when the group itself is its only reader;</li>
 *   <li>full-shape nodes join only next to full-shape members, so all outputs are linked through values of the same
 *       static shape and have the same run-time shape.</li>
 * </ul>
 * Constants become inputs of the fused node. A group of one node is left as it is.
 */
final class Fusion {
    static final GlobalRewrite REWRITE = GlobalRewrite.of("fusion", Phase.FUSE, Fusion::run, "fusion", "elemwise_fusion");

    private Fusion() {}

    static boolean run(FunctionGraph g, RewriteContext ctx) {
        // each group is fused as soon as it is found, and the ancestor sets are computed again: two groups that are
        // each free of cycles could still make one together (a -> b1 and b2 -> a' with a, a' in one group and b1, b2
        // in the other), which the contracted graph shows
        java.util.Set<Apply> done = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        boolean changed = false, fused = true;
        while (fused) {
            fused = false;
            List<Apply> nodes = new ArrayList<>(g.nodes());
            int n = nodes.size();
            Map<Apply, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < n; i++) index.put(nodes.get(i), i);
            BitSet[] anc = ancestors(nodes, index);
            boolean[] assigned = new boolean[n];
            for (int i = 0; i < n; i++) assigned[i] = done.contains(nodes.get(i));
            for (int i = n - 1; i >= 0 && !fused; i--) {
                if (assigned[i] || !fusible(nodes.get(i))) continue;
                BitSet members = new Grower(g, nodes, index, anc, assigned, i).grow();
                for (int k = members.nextSetBit(0); k >= 0; k = members.nextSetBit(k + 1)) {
                    assigned[k] = true;
                    done.add(nodes.get(k));
                }
                if (members.cardinality() >= 2) {
                    done.add(fuse(g, nodes, members, ctx));
                    fused = changed = true;
                }
            }
        }
        return changed;
    }

    /** anc[i]: the nodes node i depends on (by index in topological order). */
    private static BitSet[] ancestors(List<Apply> nodes, Map<Apply, Integer> index) {
        int n = nodes.size();
        BitSet[] anc = new BitSet[n];
        for (int i = 0; i < n; i++) {
            anc[i] = new BitSet(n);
            for (Variable v : nodes.get(i).inputs()) {
                Integer j = v.owner() == null ? null : index.get(v.owner());
                if (j == null) continue;
                anc[i].or(anc[j]);
                anc[i].set(j);
            }
        }
        return anc;
    }

    /**
     * Whether a node may join a fused group. A switch on a float condition or a fill from a float shape operand
     * producing integers is left out: the elementwise op keeps those exact in int64, which a fused body (reading the
     * float operand as a double) would not.
     */
    static boolean fusible(Apply node) {
        if (node.op() instanceof Composite) return true;
        if (!(node.op() instanceof Elemwise e) || node.inputs().isEmpty()) return false;
        if (!node.output(0).dtype().isDiscrete()) return true;
        if (e.scalar() == ScalarOp.SWITCH || e.scalar() == ScalarOp.SECOND) return node.input(0).dtype().isDiscrete();
        return true;
    }

    /** Grows one group from its last node. */
    private static final class Grower {
        final FunctionGraph g;
        final List<Apply> nodes;
        final Map<Apply, Integer> index;
        final BitSet[] anc;
        final boolean[] assigned;
        final int root;
        final long[] shape;
        final BitSet members = new BitSet();
        final BitSet ancestors = new BitSet();   // ancestors of some member

        Grower(FunctionGraph g, List<Apply> nodes, Map<Apply, Integer> index, BitSet[] anc, boolean[] assigned, int root) {
            this.g = g;
            this.nodes = nodes;
            this.index = index;
            this.anc = anc;
            this.assigned = assigned;
            this.root = root;
            this.shape = nodes.get(root).output(0).type().shape();
        }

        BitSet grow() {
            Deque<Integer> todo = new ArrayDeque<>();
            add(root);
            todo.add(root);
            while (!todo.isEmpty()) {
                int m = todo.poll();
                Apply node = nodes.get(m);
                for (Variable v : node.inputs()) {
                    Integer p = candidate(v.owner());
                    if (p != null && acceptProducer(p, m)) { add(p); todo.add(p); }
                }
                if (!full(m)) continue;
                for (Variable o : node.outputs()) {
                    for (FunctionGraph.Use u : g.clients(o)) {
                        Integer c = candidate(u.node());
                        if (c != null && full(c) && acceptConsumer(c)) { add(c); todo.add(c); }
                    }
                }
            }
            return members;
        }

        private Integer candidate(Apply node) {
            if (node == null) return null;
            Integer k = index.get(node);
            if (k == null || assigned[k] || members.get(k) || !fusible(node)) return null;
            return k;
        }

        private void add(int k) {
            members.set(k);
            ancestors.or(anc[k]);
        }

        /** Every output has the group's static shape. */
        private boolean full(int k) {
            for (Variable o : nodes.get(k).outputs()) if (!Arrays.equals(o.type().shape(), shape)) return false;
            return true;
        }

        private boolean acceptProducer(int p, int via) {
            if (full(p)) {
                if (!full(via)) return false;
            } else {
                // a smaller value cannot be an output of the fused node: the group must be its only reader
                for (Variable o : nodes.get(p).outputs())
                    for (FunctionGraph.Use u : g.clients(o)) {
                        if (u.node() == null) return false;
                        Integer c = index.get(u.node());
                        if (c == null || !members.get(c)) return false;
                    }
            }
            // a cycle: p reaches, outside the group, a node that reaches the group
            for (int u = ancestors.nextSetBit(0); u >= 0; u = ancestors.nextSetBit(u + 1))
                if (u != p && !members.get(u) && anc[u].get(p)) return false;
            return true;
        }

        private boolean acceptConsumer(int c) {
            // a cycle: c is reached, outside the group, from a node the group reaches
            BitSet a = anc[c];
            for (int u = a.nextSetBit(0); u >= 0; u = a.nextSetBit(u + 1))
                if (!members.get(u) && anc[u].intersects(members)) return false;
            return true;
        }
    }

    /** Replaces the members by one Composite whose outputs are the members' values read outside the group; returns it. */
    private static Apply fuse(FunctionGraph g, List<Apply> nodes, BitSet members, RewriteContext ctx) {
        List<Apply> group = new ArrayList<>();
        for (int k = members.nextSetBit(0); k >= 0; k = members.nextSetBit(k + 1)) group.add(nodes.get(k));
        java.util.Set<Apply> inGroup = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inGroup.addAll(group);
        List<Variable> inputs = new ArrayList<>();
        Map<Variable, Integer> value = new IdentityHashMap<>();
        for (Apply node : group)
            for (Variable v : node.inputs())
                if ((v.owner() == null || !inGroup.contains(v.owner())) && !value.containsKey(v)) { value.put(v, inputs.size()); inputs.add(v); }
        int nIn = inputs.size();
        List<Composite.Instr> body = new ArrayList<>();
        for (Apply node : group) {
            int[] args = new int[node.inputs().size()];
            for (int i = 0; i < args.length; i++) args[i] = value.get(node.input(i));
            if (node.op() instanceof Elemwise e) {
                body.add(new Composite.Instr(e.scalar(), args, e.outDType()));
                value.put(node.output(0), nIn + body.size() - 1);
            } else {
                Composite c = (Composite) node.op();
                int base = nIn + body.size();
                for (Composite.Instr ins : c.body()) {
                    int[] a = ins.args();
                    for (int j = 0; j < a.length; j++) a[j] = a[j] < c.nInputs() ? args[a[j]] : base + a[j] - c.nInputs();
                    body.add(new Composite.Instr(ins.op(), a, ins.castTo()));
                }
                int[] outs = c.outputs();
                for (int j = 0; j < outs.length; j++) value.put(node.output(j), base + outs[j]);
            }
        }
        List<Variable> leaving = new ArrayList<>();
        for (Apply node : group)
            for (Variable o : node.outputs()) {
                boolean outside = false;
                for (FunctionGraph.Use u : g.clients(o)) outside |= u.node() == null || !inGroup.contains(u.node());
                if (outside) leaving.add(o);
            }
        int[] outs = new int[leaving.size()];
        for (int j = 0; j < outs.length; j++) outs[j] = value.get(leaving.get(j)) - nIn;
        Apply fused = new Composite(nIn, body, outs).make(inputs);
        ctx.fired(REWRITE.name(), group.size() + " elementwise nodes -> " + fused.op().name());
        for (int j = 0; j < outs.length; j++) g.replace(leaving.get(j), fused.output(j));
        return fused;
    }
}
