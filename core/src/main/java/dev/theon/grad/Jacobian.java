package dev.theon.grad;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.Executable;
import dev.theon.backend.ReferenceBackend;
import dev.theon.compile.Mode;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jacobians, Hessians and the Lop/Rop products.
 * <p>
 * {@code jacobian(y, x)} is ONE node whose inner graph is the vector-Jacobian product {@code grad(sum(y * e), x)} for
 * a seed {@code e}; at run time the node evaluates it once per element of y with e one-hot. So the graph and its
 * compile time do not grow with y's size (an unrolled graph would have one gradient graph per element).
 */
public final class Jacobian {
    private Jacobian() {}

    public static Variable jacobian(Variable y, Variable x) {
        if (!y.dtype().isFloat())
            throw new TheonException.GradientError("jacobian: " + y.describe() + " has dtype " + y.dtype() + "; only float outputs can be differentiated");
        Variable seed = new Variable(y.type(), "jacobian_seed");
        Variable vjp = Grad.grad(T.sum(T.mul(y, seed)), List.of(x), Grad.options().disconnectedInputs("ignore")).get(0);
        List<Variable> free = freeInputs(List.of(vjp, y), seed);
        List<Variable> inner = new ArrayList<>();
        inner.add(seed);
        inner.addAll(free);
        MapVjp op = new MapVjp(new Inner(inner, vjp, x, y.type(), x.type()), null);
        List<Variable> ins = new ArrayList<>();
        ins.add(y);
        ins.addAll(free);
        return op.make(ins).out();
    }

    /** The Hessian of a scalar cost with respect to x: the Jacobian of its gradient. */
    public static Variable hessian(Variable cost, Variable x) { return jacobian(Grad.grad(cost, x), x); }

    /** {@code v^T J}: the gradient of {@code f} pulled back along {@code v} (same shape as f). */
    public static List<Variable> lop(Variable f, List<Variable> wrt, Variable v) {
        return Grad.grad(null, wrt, Grad.options().knownGrads(Map.of(f, v)).disconnectedInputs("ignore"));
    }

    /**
     * {@code J v}: the directional derivative of {@code f} along {@code v} (v shaped like wrt), by transposing the Lop:
     * {@code Lop(f, wrt, u)} is linear in a dummy {@code u}, so the gradient of {@code sum(Lop(f, wrt, u) * v)} with
     * respect to u is {@code J v}; u is then replaced by zeros, on which the result does not depend.
     */
    public static Variable rop(Variable f, List<Variable> wrt, List<Variable> v) {
        if (wrt.size() != v.size()) throw new TheonException.GradientError("Rop: " + wrt.size() + " wrt variables but " + v.size() + " eval points");
        Variable u = new Variable(f.type(), "rop_dummy");
        List<Variable> l = lop(f, wrt, u);
        Variable s = null;
        for (int i = 0; i < l.size(); i++) {
            Variable term = T.sum(T.mul(l.get(i), v.get(i)));
            s = s == null ? term : T.add(s, term);
        }
        Variable jv = Grad.grad(s, List.of(u), Grad.options().disconnectedInputs("ignore")).get(0);
        return Rewire.replace(jv, Map.of(u, Grad.zerosLike(f)));
    }

    /** The Hessian-vector product {@code H v} without forming H. */
    public static Variable hessianVectorProduct(Variable cost, Variable x, Variable v) {
        return Grad.grad(T.sum(T.mul(Grad.grad(cost, x), v)), x);
    }

    /** Non-constant roots the graphs read, other than {@code except}, in first-seen order. */
    static List<Variable> freeInputs(List<Variable> outs, Variable except) {
        Set<Variable> found = new LinkedHashSet<>();
        for (Variable o : outs) if (o.isRoot() && !(o instanceof Constant) && o != except) found.add(o);
        for (Apply n : FunctionGraph.toposort(outs, Set.of()))
            for (Variable in : n.inputs()) if (in.isRoot() && !(in instanceof Constant) && in != except) found.add(in);
        return new ArrayList<>(found);
    }

    /** The inner graph of a Jacobian node and its compiled forms, one per floatX (compared by identity). */
    static final class Inner {
        final List<Variable> inputs;
        final Variable vjp;
        final Variable wrt;
        final TensorType yType, xType;
        final Map<DType, Executable> compiled = new ConcurrentHashMap<>();

        Inner(List<Variable> inputs, Variable vjp, Variable wrt, TensorType yType, TensorType xType) {
            this.inputs = inputs;
            this.vjp = vjp;
            this.wrt = wrt;
            this.yType = yType;
            this.xType = xType;
        }

        Executable forFloatX(DType fx) {
            return compiled.computeIfAbsent(fx, d -> new ReferenceBackend().compile(
                    FunctionGraph.clone(inputs, List.of(vjp), Map.of(), d, new IdentityHashMap<>()),
                    new CompileOptions(ReferenceBackend.NAME, d, Mode.FAST_RUN, false, "", Set.of(), Set.of())));
        }
    }

    /** The Jacobian node: maps the inner vector-Jacobian product over one-hot seeds. */
    record MapVjp(Inner inner, DType floatX) implements Op {
        @Override public String name() { return "jacobian"; }

        @Override public Op bind(DType fx) { return new MapVjp(inner, fx); }

        @Override public List<TensorType> outputTypes(List<Variable> in) {
            long[] ys = in.get(0).type().shape(), xs = inner.xType.shape();
            long[] s = new long[ys.length + xs.length];
            System.arraycopy(ys, 0, s, 0, ys.length);
            System.arraycopy(xs, 0, s, ys.length, xs.length);
            DType d = inner.vjp.dtype().isFloat() ? inner.vjp.dtype() : DType.FLOATX;
            return List.of(TensorType.of(floatX == null ? d : d.bind(floatX), s));
        }

        @Override public void perform(Apply node, NDArray[] in, NDArray[] out) {
            DType fx = floatX != null ? floatX : DType.FLOAT64;
            Executable exe = inner.forFloatX(fx);
            NDArray y = in[0];
            long n = y.size();
            NDArray[] args = new NDArray[in.length];
            System.arraycopy(in, 1, args, 1, in.length - 1);
            NDArray result = null;
            long rowSize = 0;
            for (long i = 0; i < n; i++) {
                NDArray seed = NDArray.zeros(y.dtype(), y.shape());
                seed.setFlatDouble(i, 1);
                args[0] = seed;
                NDArray row = exe.run(args)[0];
                if (result == null) {
                    long[] s = new long[y.ndim() + row.ndim()];
                    System.arraycopy(y.shape(), 0, s, 0, y.ndim());
                    System.arraycopy(row.shape(), 0, s, y.ndim(), row.ndim());
                    result = Op.reuse(out, 0, node.output(0).dtype(), s);
                    rowSize = row.size();
                }
                for (long j = 0; j < rowSize; j++) result.setFlatDouble(i * rowSize + j, row.flatDouble(j));
            }
            if (result == null) {
                // y is empty: the result is empty too; its trailing dims are wrt's shape
                int xi = inner.inputs.indexOf(inner.wrt);
                long[] xs = xi > 0 ? in[xi].shape() : inner.xType.shape();
                for (long d : xs) if (d < 0) throw new TheonException.ShapeError("jacobian: the output is empty and the shape of wrt is not known");
                long[] s = new long[y.ndim() + xs.length];
                System.arraycopy(y.shape(), 0, s, 0, y.ndim());
                System.arraycopy(xs, 0, s, y.ndim(), xs.length);
                out[0] = NDArray.zeros(node.output(0).dtype(), s);
            }
        }
    }
}
