package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.List;

/**
 * NumPy's {@code outer}: {@code out[i, j] = a[i] * b[j]}. Operands of other ranks are flattened in C order first,
 * as NumPy does, so the result is always a matrix.
 */
public record Outer() implements Op {

    @Override public String name() { return "outer"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 2) throw typeError(in, "expects 2 operands, got " + in.size());
        TensorType ta = in.get(0).type(), tb = in.get(1).type();
        return List.of(TensorType.of(DType.promote(ta.dtype(), tb.dtype()), flatSize(ta), flatSize(tb)));
    }

    /** The number of elements when every dim is known, else unknown. */
    private static long flatSize(TensorType t) {
        long n = 1;
        for (long s : t.shape()) {
            if (s < 0) return -1;
            n *= s;
        }
        return n;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray a = in[0].reshape(-1), b = in[1].reshape(-1);
        long[] shape = {a.shape(0), b.shape(0)};
        NDArray out = Op.reuse(outs, 0, DType.promote(a.dtype(), b.dtype()), shape);
        long[] none = {};
        Contraction.run(a.view(shape, new long[]{a.strides()[0], 0}, a.offset()), b.view(shape, new long[]{0, b.strides()[0]}, b.offset()),
                none, none, none, out);
    }

    /** {@code dot(g, b)} and {@code dot(g.T, a)} on the flattened operands, given their shapes back. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable a = inputs.get(0), b = inputs.get(1), g = gz.get(0);
        Variable fa = a.ndim() == 1 ? a : T.flatten(a), fb = b.ndim() == 1 ? b : T.flatten(b);
        return java.util.Arrays.asList(InputGrads.reshapedLike(T.dot(g, fb), a), InputGrads.reshapedLike(T.dot(T.transpose(g), fa), b));
    }

    @Override public String toString() { return name(); }
}
