package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;

import java.util.Arrays;
import java.util.List;

/**
 * argmax / argmin over some axes, with an int64 result. Over one axis it is NumPy's {@code argmax(x, axis)}; over all
 * axes ({@code axes == null}) it is the index into the flattened array, as NumPy's {@code argmax(x)}; over several
 * axes it is, as in Theano, the C-order index into the block those axes span. Ties give the first occurrence; a NaN
 * wins (the first NaN), as in NumPy. Integer inputs compare as int64, so values beyond 2^53 are told apart.
 */
public record ArgReduce(Kind kind, int[] axes, boolean keepdims) implements Op {

    public enum Kind {
        ARGMAX("argmax"), ARGMIN("argmin");

        final String label;
        Kind(String label) { this.label = label; }

        public String label() { return label; }

        /** Whether {@code v} replaces the current best {@code best} (later elements win only strictly). */
        boolean better(long v, long best) { return this == ARGMAX ? v > best : v < best; }

        boolean better(double v, double best) {
            if (Double.isNaN(best)) return false;
            return Double.isNaN(v) || (this == ARGMAX ? v > best : v < best);
        }
    }

    /** The op for {@code x}; a bad axis (out of range, repeated, or an empty list) raises a TypeError naming {@code x}. */
    public static ArgReduce of(Kind kind, Variable x, int[] axes, boolean keepdims) {
        if (axes != null && axes.length == 0)
            throw new TheonException.TypeError(kind.label + ": got an empty list of axes for " + x.describe() + " : " + x.type()
                    + "; expected one or more axes, or null for the index into the flattened array");
        return new ArgReduce(kind, ReduceAxes.normalise(kind.label, axes, x.ndim(), x), keepdims);
    }

    @Override public String name() { return ReduceAxes.label(kind.label, axes, keepdims, null); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand");
        TensorType t = in.get(0).type();
        String problem = ReduceAxes.rankProblem(axes, t.ndim());
        if (problem != null) throw typeError(in, problem);
        return List.of(TensorType.of(DType.INT64, ReduceAxes.outShape(axes, keepdims, t.shape())));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape();
        NDArray out = Op.reuse(outs, 0, DType.INT64, ReduceAxes.outShape(axes, keepdims, shape));
        int m = Math.toIntExact(out.size());
        long n = x.size();
        if (n == 0 && m > 0) throw ReduceAxes.emptyAxis(name(), kind.label, shape);
        // the input is walked in C order, so the elements of each output's block arrive in their own C order:
        // the k-th element seen for an output is at index k of its block
        Odometer it = new Odometer(shape, x, ReduceAxes.slots(out, shape, axes, keepdims));
        long[] seen = new long[m], best = new long[m];
        boolean exact = x.dtype().isDiscrete();
        long[] bestLong = exact ? new long[m] : null;
        double[] bestDouble = exact ? null : new double[m];
        for (long i = 0; i < n; i++, it.next()) {
            int s = (int) it.pos[1];
            long k = seen[s]++;
            boolean take;
            if (exact) {
                long v = x.readLong(it.pos[0]);
                take = k == 0 || kind.better(v, bestLong[s]);
                if (take) bestLong[s] = v;
            } else {
                double v = x.readDouble(it.pos[0]);
                take = k == 0 || kind.better(v, bestDouble[s]);
                if (take) bestDouble[s] = v;
            }
            if (take) best[s] = k;
        }
        for (int s = 0; s < m; s++) out.writeLong(s, best[s]);
    }

    /** An integer result (positions): no gradient flows back to the input. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) { return InputGrads.none(1); }

    @Override public boolean equals(Object o) {
        return o instanceof ArgReduce r && r.kind == kind && Arrays.equals(r.axes, axes) && r.keepdims == keepdims;
    }

    @Override public int hashCode() { return kind.hashCode() * 31 + Arrays.hashCode(axes) * 7 + (keepdims ? 1 : 0); }

    @Override public String toString() { return name(); }
}
