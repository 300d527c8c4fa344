package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.ArgReduce;
import dev.theon.ops.Reduce;
import dev.theon.ops.ReduceAxes;
import dev.theon.ops.Variance;
import dev.theon.simd.reduce.Reduction;
import dev.theon.simd.reduce.Runs;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

/**
 * Reductions (sum, prod, mean, max, min, all, any), var/std and argmax/argmin over any axes with {@link Reduction}:
 * floats fold into float64 accumulators (vectorised along unit-stride runs) and are rounded once to the output
 * dtype. Float32 sums and means of unit-stride runs first add short float32 trees (at most 6 float32 roundings per
 * element, see {@link dev.theon.simd.reduce.FloatRuns}), so they differ from the reference's all-float64 sums by at
 * most about 6 * 2^-24 * sum|x|; float32 max and min fold in float32, exactly; products, var/std, float64 and strided
 * float32 runs are float64 throughout, as in the reference. Bool and integer sums, products and extrema fold in exact
 * int64; mean and var of integers fold their float64 values. Empty inputs take the reference perform (identities,
 * NaN means, and its error for max/min of nothing).
 */
final class ReduceKernels {
    private ReduceKernels() {}

    static Kernel forNode(Apply node) {
        return switch (node.op()) {
            case Reduce r -> new ReduceKernel(node, r);
            case Variance v -> new VarianceKernel(node, v);
            case ArgReduce a -> new ArgKernel(node, a);
            default -> null;
        };
    }

    static final class ReduceKernel implements Kernel {
        private final Apply node;
        private final Reduce op;
        private final DType outType;

        ReduceKernel(Apply node, Reduce op) { this.node = node; this.op = op; this.outType = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0];
            if (x.size() == 0) { node.op().perform(node, in, out); return; }
            NDArray o = Op.reuse(out, 0, outType, ReduceAxes.outShape(op.axes(), op.keepdims(), x.shape()));
            int m = Math.toIntExact(o.size());
            Reduce.Kind kind = op.kind();
            switch (kind) {
                case ALL, ANY -> {
                    NDArray b = x.dtype().isDiscrete() ? x : x.astype(DType.BOOL);
                    long[] r = new Reduction(b, op.axes(), m).foldLong(kind.label());
                    for (int s = 0; s < m; s++) o.writeLong(s, r[s]);
                }
                case MEAN -> {
                    NDArray f = x.dtype().isFloat() ? x : x.astype(DType.FLOAT64);
                    double[] r = new Reduction(f, op.axes(), m).foldDouble(Runs.Op.SUM, null);
                    double count = ReduceAxes.count(op.axes(), x.shape());
                    for (int s = 0; s < m; s++) o.writeDouble(s, r[s] / count);
                }
                default -> {
                    if (x.dtype().isDiscrete()) {
                        long[] r = new Reduction(x, op.axes(), m).foldLong(kind.label());
                        for (int s = 0; s < m; s++) o.writeLong(s, r[s]);
                    } else {
                        Runs.Op f = switch (kind) { case SUM -> Runs.Op.SUM; case PROD -> Runs.Op.PROD; case MAX -> Runs.Op.MAX; default -> Runs.Op.MIN; };
                        double[] r = new Reduction(x, op.axes(), m).foldDouble(f, null);
                        for (int s = 0; s < m; s++) o.writeDouble(s, r[s]);
                    }
                }
            }
        }

        @Override public String describe() {
            DType in = node.input(0).dtype();
            Reduce.Kind kind = op.kind();
            String how;
            if (in.isDiscrete() && kind != Reduce.Kind.MEAN || kind == Reduce.Kind.ALL || kind == Reduce.Kind.ANY) how = "exact int64 fold";
            else if (in == DType.FLOAT32 && (kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN)) how = "float32 trees into float64, vector runs";
            else if (in == DType.FLOAT32 && (kind == Reduce.Kind.MAX || kind == Reduce.Kind.MIN)) how = "float32 lanes, vector runs";
            else how = "float64 accumulation, vector runs";
            return kind.label() + " reduction (" + how + ")";
        }
    }

    static final class VarianceKernel implements Kernel {
        private final Apply node;
        private final Variance op;
        private final DType outType;

        VarianceKernel(Apply node, Variance op) { this.node = node; this.op = op; this.outType = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0];
            if (x.size() == 0) { node.op().perform(node, in, out); return; }
            NDArray f = x.dtype().isFloat() ? x : x.astype(DType.FLOAT64);
            NDArray o = Op.reuse(out, 0, outType, ReduceAxes.outShape(op.axes(), op.keepdims(), x.shape()));
            int m = Math.toIntExact(o.size());
            Reduction red = new Reduction(f, op.axes(), m);
            double count = ReduceAxes.count(op.axes(), x.shape());
            double[] mean = red.foldDouble(Runs.Op.SUM, null);
            for (int s = 0; s < m; s++) mean[s] /= count;
            double[] ss = red.foldDouble(Runs.Op.SSD, mean);
            double divisor = Math.max(count - op.ddof(), 0);
            for (int s = 0; s < m; s++) {
                double v = ss[s] / divisor;
                o.writeDouble(s, op.std() ? Math.sqrt(v) : v);
            }
        }

        @Override public String describe() { return (op.std() ? "std" : "var") + " reduction (two passes, float64 accumulation, vector runs)"; }
    }

    static final class ArgKernel implements Kernel {
        private final Apply node;
        private final ArgReduce op;

        ArgKernel(Apply node, ArgReduce op) { this.node = node; this.op = op; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0];
            if (x.size() == 0) { node.op().perform(node, in, out); return; }
            NDArray o = Op.reuse(out, 0, DType.INT64, ReduceAxes.outShape(op.axes(), op.keepdims(), x.shape()));
            long[] best = Reduction.inCOrder(x, op.axes(), Math.toIntExact(o.size())).argFold(op.kind() == ArgReduce.Kind.ARGMAX);
            for (int s = 0; s < best.length; s++) o.writeLong(s, best[s]);
        }

        @Override public String describe() { return op.kind().label() + " (one pass in C order)"; }
    }
}
