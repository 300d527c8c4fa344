package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.grad.Grad;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * NumPy's {@code dot} for every pair of ranks: a scalar operand multiplies elementwise; otherwise the last axis of
 * {@code a} is summed against the only axis of a vector {@code b}, or against the second-to-last axis of {@code b}.
 * The result's axes are a's remaining axes followed by b's. Output dtype is NumPy's promotion of the two.
 */
public record Dot() implements Op {

    @Override public String name() { return "dot"; }

    /** The axis of an operand of rank {@code n} that is summed: a's last; b's only or second-to-last. */
    static int contractedA(int n) { return n - 1; }
    static int contractedB(int n) { return n == 1 ? 0 : n - 2; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 2) throw typeError(in, "expects 2 operands, got " + in.size());
        TensorType ta = in.get(0).type(), tb = in.get(1).type();
        DType dt = DType.promote(ta.dtype(), tb.dtype());
        if (ta.isScalar()) return List.of(TensorType.of(dt, tb.shape()));
        if (tb.isScalar()) return List.of(TensorType.of(dt, ta.shape()));
        int ka = contractedA(ta.ndim()), kb = contractedB(tb.ndim());
        long na = ta.dim(ka), nb = tb.dim(kb);
        if (na >= 0 && nb >= 0 && na != nb) throw typeError(in, misaligned(ta.shape(), tb.shape(), ka, kb)
                + "; expected the last axis of the first operand to match " + (tb.ndim() == 1 ? "the length of the vector" : "the second-to-last axis of the second"));
        return List.of(TensorType.of(dt, Contraction.concat(Shapes.drop(ta.shape(), ka), Shapes.drop(tb.shape(), kb))));
    }

    /** NumPy's wording: "shapes (2, 3) and (4, 5) not aligned: 3 (dim 1) != 4 (dim 0)". */
    static String misaligned(long[] sa, long[] sb, int ka, int kb) {
        return "shapes " + Shapes.str(sa) + " and " + Shapes.str(sb) + " not aligned: " + sa[ka] + " (dim " + ka + ") != " + sb[kb] + " (dim " + kb + ")";
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray a = in[0], b = in[1];
        DType dt = DType.promote(a.dtype(), b.dtype());
        long[] none = {};
        if (a.ndim() == 0 || b.ndim() == 0) {
            // scalar times tensor: the scalar's zero strides reach every output element, nothing is summed
            long[] shape = a.ndim() == 0 ? b.shape() : a.shape();
            NDArray out = Op.reuse(outs, 0, dt, shape);
            Contraction.run(a.broadcastTo(shape), b.broadcastTo(shape), none, none, none, out);
            return;
        }
        int ka = contractedA(a.ndim()), kb = contractedB(b.ndim());
        long[] sa = a.shape(), sb = b.shape();
        if (sa[ka] != sb[kb]) throw new TheonException.ShapeError(name() + ": " + misaligned(sa, sb, ka, kb));
        long[] freeA = Shapes.drop(sa, ka), freeB = Shapes.drop(sb, kb);
        long[] shape = Contraction.concat(freeA, freeB);
        NDArray out = Op.reuse(outs, 0, dt, shape);
        NDArray av = a.view(shape, Contraction.concat(Shapes.drop(a.strides(), ka), Contraction.zeros(freeB.length)), a.offset());
        NDArray bv = b.view(shape, Contraction.concat(Contraction.zeros(freeA.length), Shapes.drop(b.strides(), kb)), b.offset());
        Contraction.run(av, bv, new long[]{sa[ka]}, new long[]{a.strides()[ka]}, new long[]{b.strides()[kb]}, out);
    }

    /**
     * A scalar operand: the elementwise product's rule (the scalar gets the sum). Otherwise dot is the tensordot of
     * a's last axis with b's contracted axis, and has its gradient.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable a = inputs.get(0), b = inputs.get(1), g = gz.get(0);
        if (a.ndim() == 0 || b.ndim() == 0)
            return java.util.Arrays.asList(InputGrads.of(Grad.sumToType(T.mul(g, b), a.type()), a),
                    InputGrads.of(Grad.sumToType(T.mul(g, a), b.type()), b));
        return new TensorDot(new int[]{contractedA(a.ndim())}, new int[]{contractedB(b.ndim())}).grad(inputs, outputs, gz);
    }

    @Override public String toString() { return name(); }
}
