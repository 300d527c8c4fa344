package dev.theon.graph;

import dev.theon.TheonException;
import dev.theon.ops.Elemwise;
import dev.theon.tensor.DType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph a function computes: its inputs, its outputs, and every node between, owned by this graph (a clone of
 * the user's graph, so rewriting it never changes what the user built). Tracks each variable's clients so rewrites
 * can {@link #replace} one variable by another everywhere.
 * <p>
 * Inputs are explicit inputs first, then the shared variables the outputs read (implicit inputs). Constants and
 * shared variables are not cloned: they are the same objects as in the user's graph.
 */
public final class FunctionGraph {
    private final List<Variable> inputs;
    private final List<Variable> outputs;
    private final Map<Variable, List<Use>> clients = new IdentityHashMap<>();
    private List<Apply> order;

    /** A use of a variable: input {@code index} of {@code node}, or output {@code index} of the graph when node is null. */
    public record Use(Apply node, int index) {}

    private FunctionGraph(List<Variable> inputs, List<Variable> outputs) {
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        rebuild();
    }

    /**
     * Clones the graph from {@code inputs} to {@code outputs}. {@code replacements} (givens) substitute variables
     * before cloning; FLOATX is bound to {@code floatX} in every type, constant and op. Shared variables that are read
     * become implicit inputs after the explicit ones. Throws when a non-constant root is needed but not given.
     *
     * @return the graph; {@code memo} receives the map from original to cloned variables
     */
    public static FunctionGraph clone(List<Variable> inputs, List<Variable> outputs, Map<Variable, Variable> replacements,
                                      DType floatX, Map<Variable, Variable> memo) {
        List<Variable> newInputs = new ArrayList<>();
        for (Variable in : inputs) {
            Variable c = new Variable(in.type().bind(floatX), in.name());
            c.inheritOrigin(in);
            memo.put(in, c);
            newInputs.add(c);
        }
        // givens: each replacement is itself cloned (it may read inputs), then stands for the replaced variable
        Map<Variable, Variable> givens = new IdentityHashMap<>(replacements);
        Set<SharedVariable> shared = new LinkedHashSet<>();
        // replacements first, so that every node reading a replaced variable finds its clone ready
        List<Apply> order = new ArrayList<>(toposort(new ArrayList<>(givens.values()), givens.keySet()));
        Set<Apply> seen = new HashSet<>(order);
        for (Apply a : toposort(outputs, givens.keySet())) if (seen.add(a)) order.add(a);
        for (Apply node : order) {
            List<Variable> ins = new ArrayList<>(node.inputs().size());
            for (Variable v : node.inputs()) ins.add(cloneRoot(v, memo, givens, floatX, shared));
            Apply copy = bindTypes(node, node.op().bind(floatX).make(ins), ins, floatX);
            for (int i = 0; i < node.outputs().size(); i++) {
                copy.output(i).inheritOrigin(node.output(i));
                Variable o = node.output(i), n = keepDType(copy.output(i), o.dtype().bind(floatX));
                n.inheritOrigin(o);
                if (o.name() != null) n.named(o.name());
                memo.put(o, n);
            }
        }
        List<Variable> newOutputs = new ArrayList<>();
        for (Variable o : outputs) newOutputs.add(cloneRoot(o, memo, givens, floatX, shared));
        newInputs.addAll(shared);
        return new FunctionGraph(newInputs, newOutputs);
    }

    /**
     * A floatX graph must compile to the dtypes it was built with. Type rules run again on the bound inputs, and there
     * NumPy's promotion can widen: floatX + int32 is floatX when the graph is built, but float32 + int32 is float64. An
     * elementwise op then computes straight into floatX (its explicit output dtype); other ops get a cast after them
     * ({@link #keepDType}).
     */
    private static Apply bindTypes(Apply original, Apply copy, List<Variable> ins, DType floatX) {
        if (original.op() instanceof Elemwise e && e.outDType() == null && original.outputs().size() == 1) {
            DType want = original.output(0).dtype().bind(floatX);
            if (copy.output(0).dtype() != want) return new Elemwise(e.scalar(), want).make(ins);
        }
        return copy;
    }

    private static Variable keepDType(Variable v, DType want) {
        return v.dtype() == want ? v : Elemwise.cast(want).apply(v);
    }

    private static Variable cloneRoot(Variable v, Map<Variable, Variable> memo, Map<Variable, Variable> givens,
                                      DType floatX, Set<SharedVariable> shared) {
        Variable done = memo.get(v);
        if (done != null) return done;
        Variable given = givens.get(v);
        if (given != null) {
            Variable r = given.isRoot() ? cloneRoot(given, memo, givens, floatX, shared) : memo.get(given);
            if (r == null) throw new IllegalStateException("replacement for " + v.describe() + " was not cloned");
            memo.put(v, r);
            return r;
        }
        if (!v.isRoot()) throw new IllegalStateException(v.describe() + " was not cloned before use");
        Variable r;
        if (v instanceof Constant c) {
            r = c.type().dtype() == DType.FLOATX ? new Constant(c.type().bind(floatX), c.value(floatX), c.name()) : c;
        } else if (v instanceof SharedVariable s) {
            shared.add(s);
            r = s;
        } else {
            throw new TheonException.CompileError("input " + v.describe() + " (" + v.type() + ")" + v.whereCreated()
                    + " is needed to compute the outputs but was not given as an input of the function (nor in givens)");
        }
        memo.put(v, r);
        return r;
    }

    /** The nodes computing {@code outputs}, inputs before users; {@code stop} variables are treated as roots. */
    public static List<Apply> toposort(List<Variable> outputs, Set<Variable> stop) {
        List<Apply> order = new ArrayList<>();
        Set<Apply> done = new HashSet<>();
        Set<Apply> onPath = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();  // {Apply, next input index}
        for (Variable out : outputs) {
            if (out.isRoot() || stop.contains(out)) continue;
            Apply root = out.owner();
            if (done.contains(root)) continue;
            stack.push(new Object[]{root, 0});
            onPath.add(root);
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Apply node = (Apply) top[0];
                int i = (int) top[1];
                if (i < node.inputs().size()) {
                    top[1] = i + 1;
                    Variable in = node.input(i);
                    if (in.isRoot() || stop.contains(in)) continue;
                    Apply dep = in.owner();
                    if (done.contains(dep)) continue;
                    if (onPath.contains(dep)) throw new IllegalStateException("the graph has a cycle through " + dep);
                    stack.push(new Object[]{dep, 0});
                    onPath.add(dep);
                } else {
                    stack.pop();
                    onPath.remove(node);
                    done.add(node);
                    order.add(node);
                }
            }
        }
        return order;
    }

    public List<Variable> inputs() { return List.copyOf(inputs); }
    public List<Variable> outputs() { return List.copyOf(outputs); }
    public Variable output(int i) { return outputs.get(i); }

    /** The nodes in an order where every node comes after the nodes it reads. */
    public List<Apply> nodes() {
        if (order == null) order = toposort(outputs, Set.of());
        return order;
    }

    /** Where {@code v} is used. */
    public List<Use> clients(Variable v) { return clients.getOrDefault(v, List.of()); }

    /** Replaces every use of {@code old} (node inputs and graph outputs) by {@code replacement}, which must have the same dtype and rank. */
    public void replace(Variable old, Variable replacement) {
        if (old == replacement) return;
        if (old.dtype() != replacement.dtype() || old.ndim() != replacement.ndim())
            throw new IllegalArgumentException("cannot replace " + old.describe() + " : " + old.type() + " by " + replacement.describe() + " : " + replacement.type());
        Map<Apply, Apply> rebuilt = new LinkedHashMap<>();
        for (Use u : new ArrayList<>(clients(old))) {
            if (u.node() == null) outputs.set(u.index(), replacement);
        }
        // nodes are immutable: rebuild every node downstream of old with the replacement wired in
        Map<Variable, Variable> memo = new IdentityHashMap<>();
        memo.put(old, replacement);
        for (Apply node : nodes()) {
            boolean changed = false;
            List<Variable> ins = new ArrayList<>(node.inputs().size());
            for (Variable v : node.inputs()) {
                Variable m = memo.get(v);
                ins.add(m != null ? m : v);
                changed |= m != null;
            }
            if (!changed) continue;
            Apply copy = node.op().make(ins);
            rebuilt.put(node, copy);
            for (int i = 0; i < node.outputs().size(); i++) {
                copy.output(i).inheritOrigin(node.output(i));
                if (node.output(i).name() != null) copy.output(i).named(node.output(i).name());
                memo.put(node.output(i), copy.output(i));
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            Variable m = memo.get(outputs.get(i));
            if (m != null) outputs.set(i, m);
        }
        rebuild();
    }

    private void rebuild() {
        order = null;
        clients.clear();
        for (Apply node : nodes())
            for (int i = 0; i < node.inputs().size(); i++)
                clients.computeIfAbsent(node.input(i), k -> new ArrayList<>()).add(new Use(node, i));
        for (int i = 0; i < outputs.size(); i++) clients.computeIfAbsent(outputs.get(i), k -> new ArrayList<>()).add(new Use(null, i));
    }

    /** Every variable of the graph: inputs, node outputs. */
    public Set<Variable> variables() {
        Set<Variable> all = new LinkedHashSet<>(inputs);
        for (Apply n : nodes()) { all.addAll(n.inputs()); all.addAll(n.outputs()); }
        return all;
    }

    @Override public String toString() { return "FunctionGraph(" + inputs.size() + " inputs, " + nodes().size() + " nodes, " + outputs.size() + " outputs)"; }
}
