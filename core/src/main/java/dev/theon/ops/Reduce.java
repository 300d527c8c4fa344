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
 * A fold over some axes (all axes when {@code axes} is null), optionally keeping reduced dims as size 1:
 * sum, prod, mean, max, min, all, any. {@code axes} are normalised (non-negative, sorted, unique) by {@link #of}.
 * <p>
 * Accumulation: bool and integer inputs of sum, prod, max and min fold in exact int64 arithmetic (wrapping on
 * overflow, as NumPy); float inputs and every mean fold in float64 and are rounded once to the output dtype, as
 * Theano's {@code acc_dtype} does for float32, so a float32 sum of many terms does not drift.
 */
public record Reduce(Kind kind, int[] axes, boolean keepdims) implements Op {

    /** What the reduction computes. */
    public enum Kind {
        SUM("sum"), PROD("prod"), MEAN("mean"), MAX("max"), MIN("min"), ALL("all"), ANY("any");

        final String label;
        Kind(String label) { this.label = label; }

        public String label() { return label; }

        /** Max and min have no value to start an empty fold from: reducing an empty axis is an error. */
        boolean hasIdentity() { return this != MAX && this != MIN; }

        long identityLong() {
            return switch (this) {
                case SUM, MEAN, ANY -> 0;
                case PROD, ALL -> 1;
                case MAX -> Long.MIN_VALUE;
                case MIN -> Long.MAX_VALUE;
            };
        }

        double identityDouble() {
            return switch (this) {
                case SUM, MEAN, ANY -> 0;
                case PROD, ALL -> 1;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            };
        }

        long fold(long acc, long v) {
            return switch (this) {
                case SUM, MEAN -> acc + v;
                case PROD -> acc * v;
                case MAX -> Math.max(acc, v);
                case MIN -> Math.min(acc, v);
                case ALL -> v != 0 ? acc : 0;
                case ANY -> v != 0 ? 1 : acc;
            };
        }

        /** NaN propagates through max and min as in NumPy; NaN counts as true for all and any (it is non-zero). */
        double fold(double acc, double v) {
            return switch (this) {
                case SUM, MEAN -> acc + v;
                case PROD -> acc * v;
                case MAX -> Double.isNaN(v) || v > acc ? v : acc;
                case MIN -> Double.isNaN(v) || v < acc ? v : acc;
                case ALL -> v != 0 ? acc : 0;
                case ANY -> v != 0 ? 1 : acc;
            };
        }
    }

    /** The reduction for an operand of rank {@code rank}; throws a TypeError for an axis out of range or repeated. */
    public static Reduce of(Kind kind, int rank, int[] axes, boolean keepdims) {
        return new Reduce(kind, ReduceAxes.normalise(kind.label, axes, rank, null), keepdims);
    }

    /** The reduction for {@code x}; a bad axis raises a TypeError that names {@code x}. */
    public static Reduce of(Kind kind, Variable x, int[] axes, boolean keepdims) {
        return new Reduce(kind, ReduceAxes.normalise(kind.label, axes, x.ndim(), x), keepdims);
    }

    /** Whether axis {@code d} of the input is reduced. */
    public boolean reduces(int d) { return ReduceAxes.reduces(axes, d); }

    @Override public String name() { return ReduceAxes.label(kind.label, axes, keepdims, null); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand");
        TensorType t = in.get(0).type();
        String problem = ReduceAxes.rankProblem(axes, t.ndim());
        if (problem != null) throw typeError(in, problem);
        return List.of(TensorType.of(outDType(t.dtype()), outShape(t.shape())));
    }

    /**
     * NumPy's rule: sum and prod of bool and integers accumulate in int64, floats keep their dtype; mean is a float
     * (integers give float64); max and min keep the dtype; all and any give bool.
     */
    DType outDType(DType in) {
        return switch (kind) {
            case SUM, PROD -> in.isDiscrete() ? DType.INT64 : in;
            case MEAN -> in.isDiscrete() ? DType.FLOAT64 : in;
            case MAX, MIN -> in;
            case ALL, ANY -> DType.BOOL;
        };
    }

    long[] outShape(long[] s) { return ReduceAxes.outShape(axes, keepdims, s); }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape();
        NDArray out = Op.reuse(outs, 0, outDType(x.dtype()), outShape(shape));
        int m = Math.toIntExact(out.size());
        long n = x.size();
        if (!kind.hasIdentity() && n == 0 && m > 0) throw ReduceAxes.emptyAxis(name(), kind.label, shape);
        // pos[1] is the output's storage index, which equals its C-order position (out is contiguous, offset 0)
        Odometer it = new Odometer(shape, x, ReduceAxes.slots(out, shape, axes, keepdims));
        if (x.dtype().isDiscrete() && kind != Kind.MEAN) {
            long[] acc = new long[m];
            Arrays.fill(acc, kind.identityLong());
            for (long i = 0; i < n; i++, it.next()) {
                int s = (int) it.pos[1];
                acc[s] = kind.fold(acc[s], x.readLong(it.pos[0]));
            }
            for (int s = 0; s < m; s++) out.writeLong(s, acc[s]);
        } else {
            double[] acc = new double[m];
            Arrays.fill(acc, kind.identityDouble());
            for (long i = 0; i < n; i++, it.next()) {
                int s = (int) it.pos[1];
                acc[s] = kind.fold(acc[s], x.readDouble(it.pos[0]));
            }
            // mean of an empty axis is 0/0 = NaN, as NumPy
            double count = ReduceAxes.count(axes, shape);
            for (int s = 0; s < m; s++) out.writeDouble(s, kind == Kind.MEAN ? acc[s] / count : acc[s]);
        }
    }

    /**
     * Gradients, with the output gradient broadcast back over the reduced axes: sum passes it on; mean divides it by
     * the count; prod uses the product of the other elements (exact with zeros: one zero gets the product of the
     * rest, more than one zero gives zero everywhere); max and min give it to every element equal to the result, as
     * Theano does; all and any have bool results and are disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0);
        if (x.dtype().isDiscrete() || kind == Kind.ALL || kind == Kind.ANY) return java.util.Arrays.asList((Variable) null);
        Variable g = T.cast(ReduceAxes.keptDims(gz.get(0), axes, keepdims, x.ndim()), x.dtype());
        Variable gb = new Elemwise(ScalarOp.SECOND).apply(x, g);
        int[] ax = ReduceAxes.all(axes, x.ndim());
        return List.of(switch (kind) {
            case SUM -> gb;
            case MEAN -> T.div(gb, ReduceAxes.count(x, ax));
            case MAX, MIN -> T.mul(gb, T.eq(x, ReduceAxes.keptDims(outputs.get(0), axes, keepdims, x.ndim())));
            case PROD -> {
                Variable isZero = T.eq(x, 0.0);
                Variable zeros = T.sum(isZero, ax, true);
                Variable prodNonZero = T.prod(T.switch_(isZero, 1.0, x), ax, true);
                Variable noZero = T.div(prodNonZero, T.switch_(isZero, 1.0, x));
                Variable oneZero = T.switch_(isZero, prodNonZero, 0.0);
                yield T.mul(gb, T.switch_(T.eq(zeros, 0), noZero, T.switch_(T.eq(zeros, 1), oneZero, 0.0)));
            }
            case ALL, ANY -> throw new IllegalStateException();
        });
    }

    @Override public boolean equals(Object o) {
        return o instanceof Reduce r && r.kind == kind && Arrays.equals(r.axes, axes) && r.keepdims == keepdims;
    }

    @Override public int hashCode() { return kind.hashCode() * 31 + Arrays.hashCode(axes) * 7 + (keepdims ? 1 : 0); }

    @Override public String toString() { return name(); }
}
