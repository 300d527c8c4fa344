package dev.theon.ops;

import dev.theon.T;
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
 * Variance (or, with {@code std}, standard deviation) over some axes: {@code sum((x - mean)^2) / (n - ddof)}, the
 * population variance when {@code ddof == 0} as in NumPy. Computed in two passes in float64 (mean first, then the
 * squared deviations), which avoids the cancellation of the one-pass {@code E[x^2] - E[x]^2}; the result is rounded
 * once to the output dtype (float64 for bool and integers, the input's float dtype otherwise). As in NumPy the divisor
 * is {@code max(n - ddof, 0)}, so an empty axis, or {@code ddof >= n}, gives NaN or Inf rather than an error.
 */
public record Variance(int[] axes, boolean keepdims, int ddof, boolean std) implements Op {

    /** The op for {@code x}; a bad axis raises a TypeError naming {@code x}. */
    public static Variance of(Variable x, int[] axes, boolean keepdims, int ddof, boolean std) {
        return new Variance(ReduceAxes.normalise(std ? "std" : "var", axes, x.ndim(), x), keepdims, ddof, std);
    }

    @Override public String name() { return ReduceAxes.label(std ? "std" : "var", axes, keepdims, ddof == 0 ? null : "ddof=" + ddof); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand");
        TensorType t = in.get(0).type();
        String problem = ReduceAxes.rankProblem(axes, t.ndim());
        if (problem != null) throw typeError(in, problem);
        return List.of(TensorType.of(outDType(t.dtype()), ReduceAxes.outShape(axes, keepdims, t.shape())));
    }

    static DType outDType(DType in) { return in.isDiscrete() ? DType.FLOAT64 : in; }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape();
        NDArray out = Op.reuse(outs, 0, outDType(x.dtype()), ReduceAxes.outShape(axes, keepdims, shape));
        int m = Math.toIntExact(out.size());
        long n = x.size();
        NDArray slots = ReduceAxes.slots(out, shape, axes, keepdims);
        long count = ReduceAxes.count(axes, shape);
        double[] mean = new double[m];
        Odometer it = new Odometer(shape, x, slots);
        for (long i = 0; i < n; i++, it.next()) mean[(int) it.pos[1]] += x.readDouble(it.pos[0]);
        for (int s = 0; s < m; s++) mean[s] /= count;
        double[] ss = new double[m];
        it = new Odometer(shape, x, slots);
        for (long i = 0; i < n; i++, it.next()) {
            int s = (int) it.pos[1];
            double d = x.readDouble(it.pos[0]) - mean[s];
            ss[s] += d * d;
        }
        double divisor = Math.max(count - ddof, 0);
        for (int s = 0; s < m; s++) {
            // an empty axis has a NaN mean; keep it so that var of nothing is NaN, as NumPy
            double v = count == 0 ? Double.NaN : ss[s] / divisor;
            out.writeDouble(s, std ? Math.sqrt(v) : v);
        }
    }

    /** d var = 2 (x - mean) / (n - ddof); d std = (x - mean) / ((n - ddof) std). */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0);
        if (!x.dtype().isFloat()) return java.util.Arrays.asList((Variable) null);
        int[] ax = ReduceAxes.all(axes, x.ndim());
        Variable g = ReduceAxes.keptDims(gz.get(0), axes, keepdims, x.ndim());
        Variable centred = T.sub(x, T.mean(x, ax, true));
        Variable divisor = T.sub(ReduceAxes.count(x, ax), (double) ddof);
        Variable d = std ? T.div(centred, T.mul(divisor, ReduceAxes.keptDims(outputs.get(0), axes, keepdims, x.ndim())))
                         : T.div(T.mul(centred, 2.0), divisor);
        return List.of(T.cast(T.mul(g, d), x.dtype()));
    }

    @Override public boolean equals(Object o) {
        return o instanceof Variance r && Arrays.equals(r.axes, axes) && r.keepdims == keepdims && r.ddof == ddof && r.std == std;
    }

    @Override public int hashCode() { return Arrays.hashCode(axes) * 31 + (keepdims ? 7 : 0) + ddof * 3 + (std ? 1 : 0); }

    @Override public String toString() { return name(); }
}
