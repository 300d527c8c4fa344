package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * NumPy's {@code eye(n, m, k)}: an (n, m) matrix of {@code dtype} with ones on the k-th diagonal (k > 0 above the
 * main diagonal, k < 0 below) and zeros elsewhere. Inputs: n, m, k as integer scalars; n and m are static sizes of
 * the result when known while the graph is built.
 */
public record Eye(DType dtype) implements Op {

    @Override public String name() { return "eye{" + dtype + "}"; }

    @Override public Op bind(DType floatX) { return dtype == DType.FLOATX ? new Eye(floatX) : this; }

    private static final String[] ROLES = {"n (rows)", "m (columns)", "k (diagonal)"};

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 3) throw typeError(in, "expects 3 operands (n, m, k), got " + in.size());
        long[] shape = new long[2];
        for (int i = 0; i < 3; i++) {
            Variable v = in.get(i);
            if (v.ndim() != 0 || !v.dtype().isInteger()) throw typeError(in, ROLES[i] + " is a " + v.type() + "; expected an integer scalar");
            if (i == 2) break;
            Long known = KnownInt.of(v);
            if (known != null && known < 0) throw typeError(in, ROLES[i] + " is negative (" + known + "); expected a size of 0 or more");
            shape[i] = known == null ? Shapes.UNKNOWN : known;
        }
        return List.of(TensorType.of(dtype, shape));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        long n = in[0].toLong(), m = in[1].toLong(), k = in[2].toLong();
        if (n < 0 || m < 0) throw new TheonException.ShapeError(name() + ": shape (" + n + ", " + m + ") is negative; expected sizes of 0 or more");
        NDArray out = Op.reuse(outs, 0, node.output(0).dtype(), new long[]{n, m});
        long size = n * m;
        for (long i = 0; i < size; i++) out.writeLong(i, 0);
        for (long i = Math.max(0, -k); i < n && i + k < m; i++) out.writeLong(i * m + i + k, 1);
    }

    /** The values do not depend on the inputs, which are integer sizes and an offset: all disconnected. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) { return InputGrads.none(3); }

    @Override public String toString() { return name(); }
}
