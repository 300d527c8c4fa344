package dev.theon.grad;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.ops.Elemwise;
import dev.theon.ops.Reduce;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the graph: walks from the cost back to the variables asked for, calling each
 * op's {@link Op#grad} (its L_op) and summing the contributions that meet at a variable. Only nodes that lie on a
 * path from some {@code wrt} to the cost are visited, so an op without a gradient raises only when the gradient
 * really has to pass through it.
 */
public final class Grad {
    private static final Logger LOG = LoggerFactory.getLogger(Grad.class);

    private Grad() {}

    /** Options of {@link #grad}, named as in Theano. */
    public static final class Options {
        public enum Disconnected { RAISE, WARN, IGNORE }
        public enum ReturnDisconnected { ZERO, NONE, DISCONNECTED }
        public enum NullGradients { RAISE, RETURN_NONE }

        final Set<Variable> considerConstant = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Variable, Variable> knownGrads = new IdentityHashMap<>();
        Disconnected disconnectedInputs = Disconnected.RAISE;
        ReturnDisconnected returnDisconnected = ReturnDisconnected.ZERO;
        NullGradients nullGradients = NullGradients.RAISE;

        /** Treat these variables as constants: no gradient flows through them. */
        public Options considerConstant(Variable... vs) { Collections.addAll(considerConstant, vs); return this; }
        public Options considerConstant(List<Variable> vs) { considerConstant.addAll(vs); return this; }
        /** What to do when a wrt variable does not influence the cost: "raise" (default), "warn", "ignore". */
        public Options disconnectedInputs(String s) { disconnectedInputs = Disconnected.valueOf(s.toUpperCase(java.util.Locale.ROOT)); return this; }
        /** Gradients already known for some variables (the cost may then be null). */
        public Options knownGrads(Map<? extends Variable, ? extends Variable> m) { knownGrads.putAll(m); return this; }
        /** What to return for a disconnected wrt: "zero" (default), "none" (null) or "disconnected" (null, explicitly). */
        public Options returnDisconnected(String s) { returnDisconnected = ReturnDisconnected.valueOf(s.toUpperCase(java.util.Locale.ROOT)); return this; }
        /** What to do when a gradient is undefined: "raise" (default) or "return_none". */
        public Options nullGradients(String s) { nullGradients = NullGradients.valueOf(s.toUpperCase(java.util.Locale.ROOT)); return this; }
    }

    public static Options options() { return new Options(); }

    public static Variable grad(Variable cost, Variable wrt) { return grad(cost, List.of(wrt), options()).get(0); }

    public static List<Variable> grad(Variable cost, List<Variable> wrt) { return grad(cost, wrt, options()); }

    public static List<Variable> grad(Variable cost, List<Variable> wrt, Options o) {
        if (cost == null && o.knownGrads.isEmpty())
            throw new TheonException.GradientError("grad: the cost is null and no known gradients were given");
        if (cost != null && cost.ndim() != 0)
            throw new TheonException.GradientError("grad: the cost must be a scalar, but " + cost.describe() + " has type " + cost.type()
                    + "; reduce it first (e.g. T.sum(cost) or T.mean(cost)), or use Theon.jacobian for a non-scalar output");
        if (cost != null && !cost.dtype().isFloat())
            throw new TheonException.GradientError("grad: the cost " + cost.describe() + " has dtype " + cost.dtype() + "; only float costs can be differentiated");
        for (int i = 0; i < wrt.size(); i++) {
            Variable w = wrt.get(i);
            if (w == null) throw new TheonException.GradientError("grad: wrt " + i + " is null");
            if (w instanceof Constant) throw new TheonException.GradientError("grad: wrt " + i + " (" + w.describe() + ") is a constant; gradients are taken with respect to variables");
        }

        // the subgraph that matters: nodes reachable backwards from the cost / known grads, and forwards from wrt
        List<Variable> ends = new ArrayList<>();
        if (cost != null) ends.add(cost);
        ends.addAll(o.knownGrads.keySet());
        List<Apply> order = FunctionGraph.toposort(ends, new HashSet<>(o.considerConstant));
        Set<Variable> fromWrt = Collections.newSetFromMap(new IdentityHashMap<>());
        fromWrt.addAll(wrt);
        for (Apply n : order) {
            boolean reached = false;
            for (Variable in : n.inputs()) reached |= fromWrt.contains(in);
            if (reached) fromWrt.addAll(n.outputs());
        }

        Map<Variable, Variable> grads = new IdentityHashMap<>();
        if (cost != null) grads.put(cost, T.asVariable(1.0, cost));
        for (Map.Entry<Variable, Variable> e : o.knownGrads.entrySet()) accumulate(grads, e.getKey(), e.getValue());

        for (int k = order.size() - 1; k >= 0; k--) {
            Apply node = order.get(k);
            if (!anyIn(node.outputs(), grads)) continue;
            boolean needed = false;
            for (Variable in : node.inputs()) needed |= fromWrt.contains(in) && !o.considerConstant.contains(in);
            if (!needed) continue;
            List<Variable> gz = new ArrayList<>();
            Variable undefined = null;
            for (Variable out : node.outputs()) {
                Variable g = grads.get(out);
                if (isUndefined(g)) undefined = g;
                gz.add(g);
            }
            List<Variable> gin;
            if (undefined != null) {
                gin = new ArrayList<>();
                for (Variable ignored : node.inputs()) gin.add(undefined);
            } else {
                gin = node.op().grad(node.inputs(), node.outputs(), fillMissing(node.outputs(), gz));
                if (gin.size() != node.inputs().size())
                    throw new IllegalStateException(node.op().name() + ".grad returned " + gin.size() + " gradients for " + node.inputs().size() + " inputs");
            }
            for (int i = 0; i < gin.size(); i++) {
                Variable in = node.input(i), g = gin.get(i);
                if (g == null || !fromWrt.contains(in) || o.considerConstant.contains(in)) continue;
                if (!isUndefined(g) && g.ndim() != in.ndim())
                    throw new IllegalStateException(node.op().name() + ".grad returned a gradient of rank " + g.ndim() + " for input " + i + " of rank " + in.ndim());
                accumulate(grads, in, g);
            }
        }

        List<Variable> result = new ArrayList<>(wrt.size());
        for (int i = 0; i < wrt.size(); i++) {
            Variable w = wrt.get(i), g = grads.get(w);
            if (g == null) {
                String msg = "grad: the cost does not depend on wrt " + i + " (" + w.describe() + ")" + w.whereCreated();
                switch (o.disconnectedInputs) {
                    case RAISE -> throw new TheonException.GradientError(msg
                            + "; pass Grad.options().disconnectedInputs(\"ignore\") (or \"warn\") to get zeros instead");
                    case WARN -> LOG.warn(msg);
                    case IGNORE -> { }
                }
                result.add(o.returnDisconnected == Options.ReturnDisconnected.ZERO ? zerosLike(w) : null);
            } else if (isUndefined(g)) {
                if (o.nullGradients == Options.NullGradients.RAISE)
                    throw new TheonException.GradientError("grad: the gradient with respect to wrt " + i + " (" + w.describe() + ") is undefined: "
                            + ((UndefinedGrad) g.owner().op()).reason());
                result.add(null);
            } else {
                result.add(w.dtype().isFloat() && g.dtype() != w.dtype() ? T.cast(g, w.dtype()) : g);
            }
        }
        return result;
    }

    private static boolean anyIn(List<Variable> vs, Map<Variable, Variable> grads) {
        for (Variable v : vs) if (grads.containsKey(v)) return true;
        return false;
    }

    /** Ops see zeros for outputs that do not influence the cost (multi-output ops), never null. */
    private static List<Variable> fillMissing(List<Variable> outs, List<Variable> gz) {
        List<Variable> r = new ArrayList<>(gz);
        for (int i = 0; i < r.size(); i++) if (r.get(i) == null && outs.size() > 1) r.set(i, zerosLike(outs.get(i)));
        return r;
    }

    private static void accumulate(Map<Variable, Variable> grads, Variable v, Variable g) {
        Variable prev = grads.get(v);
        if (prev == null || isUndefined(g)) grads.put(v, g);
        else if (!isUndefined(prev)) grads.put(v, T.add(prev, g));
    }

    // ---------------------------------------------------------------- helpers used by the ops' gradients

    /** Zeros with the shape of {@code x}, in x's dtype if it is a float, else floatX. */
    public static Variable zerosLike(Variable x) {
        DType d = x.dtype().isFloat() ? x.dtype() : DType.FLOATX;
        return new Elemwise(ScalarOp.SECOND).apply(x, Constant.scalar(d, 0));
    }

    /**
     * Sums {@code g} over the axes along which a value of type {@code target} was broadcast to g's shape: the leading
     * axes g has in excess, and the axes where target has static size 1 but g does not.
     */
    public static Variable sumToType(Variable g, TensorType target) {
        int lead = g.ndim() - target.ndim();
        if (lead < 0) throw new IllegalArgumentException("gradient of rank " + g.ndim() + " for a variable of rank " + target.ndim());
        List<Integer> inner = new ArrayList<>();
        for (int d = lead; d < g.ndim(); d++) if (target.dim(d - lead) == 1 && g.type().dim(d) != 1) inner.add(d);
        Variable r = g;
        if (!inner.isEmpty()) r = Reduce.of(Reduce.Kind.SUM, r.ndim(), inner.stream().mapToInt(Integer::intValue).toArray(), true).apply(r);
        if (lead > 0) {
            int[] axes = new int[lead];
            for (int d = 0; d < lead; d++) axes[d] = d;
            r = Reduce.of(Reduce.Kind.SUM, r.ndim(), axes, false).apply(r);
        }
        return r;
    }

    /** A marker gradient that is undefined; asking for it raises (or yields null) with {@code reason}. */
    public static Variable undefined(String reason) { return new UndefinedGrad(reason).make(List.of()).out(); }

    static boolean isUndefined(Variable g) { return g != null && g.owner() != null && g.owner().op() instanceof UndefinedGrad; }

    /** The op behind {@link #undefined}: it never runs, since grad refuses to return it. */
    record UndefinedGrad(String reason) implements Op {
        @Override public String name() { return "undefined_grad"; }
        @Override public List<TensorType> outputTypes(List<Variable> in) { return List.of(TensorType.of(DType.FLOAT64)); }
        @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
            throw new TheonException.GradientError("an undefined gradient was evaluated: " + reason);
        }
    }
}
