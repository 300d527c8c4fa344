package dev.theon.graph;

import dev.theon.TheonException;
import dev.theon.ops.Elemwise;
import dev.theon.tensor.DType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * <p>
 * Rewrites change the graph with {@link #replace}, which re-points the readers of a variable in place (as Theano's
 * FunctionGraph does) rather than rebuilding everything downstream: a rewrite then costs time in proportion to the
 * nodes it touches, which keeps compiling in milliseconds. Nodes nothing reads any more are dropped at once.
 */
public final class FunctionGraph {
    private final List<Variable> inputs;
    private final List<Variable> outputs;
    private final Map<Variable, List<Use>> clients = new IdentityHashMap<>();
    private final Set<Apply> members = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Apply, Destroy> destroys = new IdentityHashMap<>();
    private List<Apply> order;
    private long version;

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

    /** Whether {@code node} is part of this graph (computes something an output needs). */
    public boolean contains(Apply node) { return members.contains(node); }

    /** Where {@code v} is used. */
    public List<Use> clients(Variable v) { return clients.getOrDefault(v, List.of()); }

    /** True when {@code v} is one of the graph's outputs. */
    public boolean isOutput(Variable v) {
        for (Use u : clients(v)) if (u.node() == null) return true;
        return false;
    }

    /**
     * Replaces every use of {@code old} (node inputs and graph outputs) by {@code replacement}. The nodes that compute
     * the replacement join the graph; nodes left without clients leave it (dead code is never kept). Readers of
     * {@code old} are re-pointed in place, so their output types stay as they were: the replacement must therefore
     * have the same dtype and rank, keep every broadcastable (static size 1) dim, and agree with every known size.
     *
     * @throws IllegalArgumentException when the types are not compatible, or the replacement reads {@code old}
     */
    public void replace(Variable old, Variable replacement) {
        if (old == replacement) return;
        String bad = incompatibility(old.type(), replacement.type());
        if (bad != null)
            throw new IllegalArgumentException("cannot replace " + old.describe() + " : " + old.type() + " by " + replacement.describe()
                    + " : " + replacement.type() + ": " + bad);
        adopt(replacement, old);
        List<Use> uses = clients.remove(old);
        if (uses != null) {
            List<Use> to = clients.computeIfAbsent(replacement, k -> new ArrayList<>());
            for (Use u : uses) {
                if (u.node() == null) outputs.set(u.index(), replacement);
                else u.node().setInput(u.index(), replacement);
                to.add(u);
            }
        }
        if (old.owner() != null) prune(old.owner());
        order = null;
        version++;
    }

    /** A number that changes whenever {@link #replace} changes the graph (so a pass can tell it has nothing new to see). */
    public long version() { return version; }

    /**
     * Why a variable of type {@code rep} may not stand for one of type {@code old} in place (null when it may): the
     * readers were typed against {@code old}, so dtype and rank must match, broadcastable dims must stay
     * broadcastable, and known sizes must agree.
     */
    public static String incompatibility(TensorType old, TensorType rep) {
        if (old.dtype() != rep.dtype()) return "dtype " + rep.dtype() + " instead of " + old.dtype();
        if (old.ndim() != rep.ndim()) return "rank " + rep.ndim() + " instead of " + old.ndim();
        for (int d = 0; d < old.ndim(); d++) {
            long o = old.dim(d), r = rep.dim(d);
            if (o == 1 && r != 1) return "dim " + d + " is no longer broadcastable";
            if (o >= 0 && r >= 0 && o != r) return "dim " + d + " has size " + r + " instead of " + o;
        }
        return null;
    }

    /** Makes the nodes computing {@code v} part of the graph; {@code forbidden} must not be read by them. */
    private void adopt(Variable v, Variable forbidden) {
        if (v == forbidden) throw new IllegalArgumentException("the replacement of " + forbidden.describe() + " reads it");
        Apply node = v.owner();
        if (node == null) {
            if (!(v instanceof Constant) && !inputs.contains(v))
                throw new IllegalArgumentException("a replacement reads " + v.describe() + " : " + v.type() + ", which is neither an input of the graph nor a constant");
            return;
        }
        if (members.contains(node)) return;
        for (Variable in : node.inputs()) adopt(in, forbidden);
        members.add(node);
        for (int i = 0; i < node.inputs().size(); i++)
            clients.computeIfAbsent(node.input(i), k -> new ArrayList<>()).add(new Use(node, i));
    }

    /** Removes {@code node} when none of its outputs is used any more, then the nodes only it read from. */
    private void prune(Apply node) {
        if (!members.contains(node)) return;
        for (Variable o : node.outputs()) if (!clients(o).isEmpty()) return;
        members.remove(node);
        destroys.remove(node);
        for (Variable o : node.outputs()) clients.remove(o);
        for (int i = 0; i < node.inputs().size(); i++) {
            Variable in = node.input(i);
            List<Use> us = clients.get(in);
            if (us == null) continue;
            for (int k = us.size() - 1; k >= 0; k--) if (us.get(k).node() == node && us.get(k).index() == i) { us.remove(k); break; }
            if (us.isEmpty()) {
                clients.remove(in);
                if (in.owner() != null) prune(in.owner());
            }
        }
    }

    private void rebuild() {
        order = null;
        clients.clear();
        members.clear();
        members.addAll(nodes());
        for (Apply node : nodes())
            for (int i = 0; i < node.inputs().size(); i++)
                clients.computeIfAbsent(node.input(i), k -> new ArrayList<>()).add(new Use(node, i));
        for (int i = 0; i < outputs.size(); i++) clients.computeIfAbsent(outputs.get(i), k -> new ArrayList<>()).add(new Use(null, i));
    }

    // ---------------------------------------------------------------- destroy map (inplace)

    /** Output {@code output} of a node computed into the storage of its input {@code input}. */
    public record Destroy(int output, int input) {}

    /**
     * Marks {@code node} as computing output {@code output} into the storage of input {@code input}, destroying that
     * input's value. The destroy handler (rewrite phase "inplace") marks a node only after proving the input is read
     * by no one else; backends that do not compute in place may ignore the mark, which is always correct.
     */
    public void markDestroys(Apply node, int output, int input) {
        if (!members.contains(node)) throw new IllegalArgumentException(node + " is not in this graph");
        destroys.put(node, new Destroy(output, input));
    }

    /** The input {@code node} overwrites, or null. */
    public Destroy destroyed(Apply node) { return destroys.get(node); }

    /** Every variable of the graph: inputs, node outputs. */
    public Set<Variable> variables() {
        Set<Variable> all = new LinkedHashSet<>(inputs);
        for (Apply n : nodes()) { all.addAll(n.inputs()); all.addAll(n.outputs()); }
        return all;
    }

    @Override public String toString() { return "FunctionGraph(" + inputs.size() + " inputs, " + nodes().size() + " nodes, " + outputs.size() + " outputs)"; }
}
