package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.ops.CrossentropyCategorical1Hot;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1Hot;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.ops.LogSoftmax;
import dev.theon.ops.Softmax;
import dev.theon.simd.reduce.SoftmaxRows;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * softmax, log_softmax, the one-hot cross-entropies and their gradients. Softmax runs lane by lane along its axis with
 * {@link SoftmaxRows} (max; exp, stored and summed in one pass; scale by 1/s or subtract log(s)); a lane that is not
 * contiguous (softmax over a leading axis, or a transposed input) is copied
 * into a per-thread buffer, computed there and copied out. Lanes are shared among threads when there is enough work.
 * Integer inputs are converted to the output's float dtype first, as the reference reads them.
 * <p>
 * The one-hot ops check their labels (and the length of the output gradient) before computing: where the reference
 * perform would raise an error, they run that perform, so the error is the reference's own, class and message.
 */
final class NnetKernels {
    private NnetKernels() {}

    static Kernel forNode(Apply node) {
        return switch (node.op()) {
            case Softmax s -> new SoftmaxKernel(node, s.axis(), false);
            case LogSoftmax s -> new SoftmaxKernel(node, s.axis(), true);
            case CrossentropyCategorical1Hot c -> new CrossentropyKernel(node);
            case CrossentropySoftmax1Hot c -> new CrossentropySoftmaxKernel(node);
            case CrossentropySoftmax1HotDx d when floatRows(node) -> new SoftmaxDxKernel(node, d.indexing());
            case CrossentropyCategorical1HotGrad g when floatRows(node) -> new CrossentropyGradKernel(node);
            default -> null;
        };
    }

    static final class SoftmaxKernel implements Kernel {
        /** Elements a thread should get before lanes are split among threads. */
        private static final long PER_PART = 1 << 17;
        private static final ThreadLocal<MemorySegment[]> BUFFERS = ThreadLocal.withInitial(() -> new MemorySegment[2]);
        private final int axis;
        private final boolean log;
        private final DType dt;

        SoftmaxKernel(Apply node, int axis, boolean log) { this.axis = axis; this.log = log; this.dt = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0].dtype() == dt ? in[0] : in[0].astype(dt);
            NDArray o = Op.reuse(out, 0, dt, x.shape());
            long[] shape = x.shape();
            int n = Math.toIntExact(shape[axis]);
            long[] outer = Shapes.drop(shape, axis);
            long lanes = Shapes.size(outer);
            if (n == 0 || lanes == 0) return;
            long xs = x.strides()[axis], os = o.strides()[axis];
            Layout l = Layout.of(outer, Shapes.drop(x.strides(), axis), Shapes.drop(o.strides(), axis));
            // several parts per thread, claimed as threads come free: a thread that loses its core for a while
            // then holds the others up by a few lanes, not by half of them
            int threads = Pool.partsFor(lanes * n, PER_PART);
            int parts = (int) Math.min(lanes, threads > 1 ? 4L * threads : 1);
            boolean f32 = dt == DType.FLOAT32;
            int es = f32 ? 4 : 8;
            Pool.run(parts, (p, q) -> {
                long l0 = lanes * p / q, l1 = lanes * (p + 1) / q;
                long[] off = new long[2];
                long[] idx = l.rank() == 0 ? new long[0] : outerIndex(l, l0);
                offsets(l, idx, off);
                MemorySegment[] buf = BUFFERS.get();
                for (long lane = l0; lane < l1; lane++) {
                    long xo = x.offset() + off[0], oo = o.offset() + off[1];
                    MemorySegment src = x.segment(), dst = o.segment();
                    long so = xo, dO = oo;
                    if (xs != 1) { src = buffer(buf, 0, (long) n * es); Copy.run(x.segment(), xo, xs, src, 0, 1, n, es); so = 0; }
                    if (os != 1) { dst = buffer(buf, 1, (long) n * es); dO = 0; }
                    if (f32) SoftmaxRows.f32(src, so, dst, dO, n, log); else SoftmaxRows.f64(src, so, dst, dO, n, log);
                    if (os != 1) Copy.run(dst, 0, 1, o.segment(), oo, os, n, es);
                    next(l, idx, off);
                }
            });
        }

        static MemorySegment buffer(MemorySegment[] buf, int i, long bytes) {
            if (buf[i] == null || buf[i].byteSize() < bytes) buf[i] = Arena.ofAuto().allocate(Math.max(bytes, 1 << 14), 64);
            return buf[i];
        }

        /** The outer counter over all dims of the lanes' layout (every dim is outer: the lane runs along the axis). */
        private static long[] outerIndex(Layout l, long p) {
            long[] idx = new long[l.rank()];
            for (int d = l.rank() - 1; d >= 0; d--) { idx[d] = p % l.shape[d]; p /= l.shape[d]; }
            return idx;
        }

        private static void offsets(Layout l, long[] idx, long[] off) {
            off[0] = off[1] = 0;
            for (int d = 0; d < idx.length; d++) { off[0] += idx[d] * l.strides[0][d]; off[1] += idx[d] * l.strides[1][d]; }
        }

        private static void next(Layout l, long[] idx, long[] off) {
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < l.shape[d]) { off[0] += l.strides[0][d]; off[1] += l.strides[1][d]; return; }
                idx[d] = 0;
                off[0] -= l.strides[0][d] * (l.shape[d] - 1);
                off[1] -= l.strides[1][d] * (l.shape[d] - 1);
            }
        }

        @Override public String describe() {
            String sum = dt == DType.FLOAT32 ? "float32 trees into float64" : "float64";
            return (log ? "log_softmax" : "softmax") + " " + dt + " along axis " + axis + " (vector max, then exp and its " + sum + " sum in one pass, per lane)";
        }
    }

    /** Whether every row has a label in [0, classes): otherwise the reference perform raises its error. */
    static boolean labelsFit(NDArray scores, NDArray labels) { return labelledRows(scores, labels, false) >= 0; }

    /**
     * The number of labelled rows under the label rule of the one-hot ops, or -1 where the reference perform raises
     * an error. Categorical: one label per row, each in [0, classes). Indexing: at most one label per row, covering
     * the first rows, each in [-classes, classes) (a negative one counts from the end).
     */
    static long labelledRows(NDArray scores, NDArray labels, boolean indexing) {
        long rows = scores.shape(0), classes = scores.shape(1), n = labels.shape(0);
        if (indexing ? n > rows : n != rows) return -1;
        long lo = indexing ? -classes : 0, ls = labels.strides()[0];
        for (long i = 0; i < n; i++) {
            long label = labels.readLong(labels.offset() + i * ls);
            if (label < lo || label >= classes) return -1;
        }
        return n;
    }

    /** The column picked by row i's label, already checked by {@link #labelledRows}. */
    static long column(NDArray labels, long i, long classes) {
        long label = labels.readLong(labels.offset() + i * labels.strides()[0]);
        return label < 0 ? label + classes : label;
    }

    /**
     * Whether the per-row output gradient {@code dy} fits n labels: a scalar, one entry per label, or a size-1 vector
     * whose type declares the size 1 (the reference raises an error otherwise).
     */
    static boolean perRowFits(NDArray dy, TensorType declared, long n) {
        return dy.ndim() == 0 || dy.shape(0) == n || dy.shape(0) == 1 && declared.dim(0) == 1;
    }

    /** The output gradient of row i, read as the reference reads it: a size-1 vector serves every row. */
    static double perRow(NDArray dy, long i) {
        if (dy.ndim() == 0) return dy.readDouble(dy.offset());
        return dy.readDouble(dy.offset() + (dy.shape(0) == 1 ? 0 : i * dy.strides()[0]));
    }

    /**
     * Whether a one-hot gradient node's rows have a vector form: float32 or float64 (FLOATX is bound to one of them
     * before a backend sees the graph, so nothing else reaches here; any other dtype would take the fallback).
     */
    private static boolean floatRows(Apply node) {
        DType dt = node.output(0).dtype();
        return dt == DType.FLOAT32 || dt == DType.FLOAT64;
    }

    /**
     * The rows [0, rows) split into parts when the matrix is large: handing rows to another thread pays only past
     * about half a million elements, the threshold of a one-multiply elementwise node (these kernels are as
     * memory-bound as one).
     */
    static int rowParts(long rows, long classes) {
        return (int) Math.min(Math.max(rows, 1), Pool.partsFor(rows * classes, 1 << 19));
    }

    /** Zeroes rows [r0, r1) of a C-contiguous matrix: one fill, which the JIT turns into vector stores. */
    static void zeroRows(NDArray o, long r0, long r1, long classes, int es) {
        if (r1 > r0 && classes > 0) o.segment().asSlice((o.offset() + r0 * classes) * es, (r1 - r0) * classes * es).fill((byte) 0);
    }

    /** -log(coding[i, labels[i]]) row by row, reading one entry per row. */
    static final class CrossentropyKernel implements Kernel {
        private final Apply node;

        CrossentropyKernel(Apply node) { this.node = node; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray coding = in[0], labels = in[1];
            if (!labelsFit(coding, labels)) { node.op().perform(node, in, out); return; }
            long rows = coding.shape(0);
            NDArray o = Op.reuse(out, 0, coding.dtype(), new long[]{rows});
            long[] cs = coding.strides();
            long ls = labels.strides()[0];
            boolean f32 = coding.dtype() == DType.FLOAT32;
            MemorySegment c = coding.segment(), r = o.segment();
            for (long i = 0; i < rows; i++) {
                long at = coding.offset() + i * cs[0] + labels.readLong(labels.offset() + i * ls) * cs[1];
                if (f32) r.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) -Math.log(c.getAtIndex(ValueLayout.JAVA_FLOAT, at)));
                else r.setAtIndex(ValueLayout.JAVA_DOUBLE, i, -Math.log(c.getAtIndex(ValueLayout.JAVA_DOUBLE, at)));
            }
        }

        @Override public String describe() { return "crossentropy_categorical_1hot (one read per row)"; }
    }

    /** log(sum(exp(x[i] - m))) + m - x[i, labels[i]] row by row: the stable cross-entropy of softmax(x). */
    static final class CrossentropySoftmaxKernel implements Kernel {
        private static final ThreadLocal<MemorySegment[]> BUFFERS = ThreadLocal.withInitial(() -> new MemorySegment[2]);
        private final Apply node;

        CrossentropySoftmaxKernel(Apply node) { this.node = node; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray x = in[0], labels = in[1];
            if (!labelsFit(x, labels)) { node.op().perform(node, in, out); return; }
            long rows = x.shape(0);
            int classes = Math.toIntExact(x.shape(1));
            NDArray o = Op.reuse(out, 0, x.dtype(), new long[]{rows});
            if (rows == 0 || classes == 0) { node.op().perform(node, in, out); return; }
            boolean f32 = x.dtype() == DType.FLOAT32;
            int es = f32 ? 4 : 8;
            long[] xs = x.strides();
            long ls = labels.strides()[0];
            MemorySegment[] buf = BUFFERS.get();
            MemorySegment scratch = SoftmaxKernel.buffer(buf, 0, (long) classes * es);
            for (long i = 0; i < rows; i++) {
                long row = x.offset() + i * xs[0];
                MemorySegment src = x.segment();
                long so = row;
                if (xs[1] != 1) { src = SoftmaxKernel.buffer(buf, 1, (long) classes * es); Copy.run(x.segment(), row, xs[1], src, 0, 1, classes, es); so = 0; }
                double lse = SoftmaxRows.logSumExp(src, so, classes, f32, scratch);
                long label = labels.readLong(labels.offset() + i * ls);
                double picked = x.readDouble(row + label * xs[1]);
                o.writeDouble(i, lse - picked);
            }
        }

        @Override public String describe() { return "crossentropy_softmax_1hot (vector max, exp and sum per row)"; }
    }

    /**
     * {@code dx[i, j] = dy[i] * (sm[i, j] - (j == labels[i] ? 1 : 0))}: each softmax row scaled on vectors by its
     * output gradient, then the label's column rewritten from a scalar; rows past the labels (indexing) are zero. The
     * scaling rounds as the reference does (see {@link RowScale}) and the label's column is computed as the reference
     * computes it, so the results are the reference's bit for bit. A softmax row that is not contiguous (a transposed
     * or strided view) is first gathered into a per-thread buffer. The output is a fresh or reused C-contiguous matrix.
     */
    static final class SoftmaxDxKernel implements Kernel {
        private static final ThreadLocal<MemorySegment[]> BUFFERS = ThreadLocal.withInitial(() -> new MemorySegment[1]);
        private final Apply node;
        private final boolean indexing;
        private final DType dt;

        SoftmaxDxKernel(Apply node, boolean indexing) { this.node = node; this.indexing = indexing; this.dt = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray dy = in[0], sm = in[1], labels = in[2];
            long n = labelledRows(sm, labels, indexing);
            // a bad label or gradient length: the reference raises its error; an unexpected dtype: its exact reading
            if (n < 0 || !perRowFits(dy, node.input(0).type(), n) || sm.dtype() != dt) { node.op().perform(node, in, out); return; }
            long rows = sm.shape(0);
            int classes = Math.toIntExact(sm.shape(1));
            NDArray o = Op.reuse(out, 0, dt, sm.shape());
            if (rows == 0 || classes == 0) return;
            int es = dt.byteSize();
            Pool.run(rowParts(rows, classes), (p, q) -> {
                long r0 = rows * p / q, r1 = rows * (p + 1) / q;
                scale(dy, sm, labels, o, r0, Math.min(r1, n), classes, es);
                zeroRows(o, Math.max(r0, n), r1, classes, es);
            });
        }

        /** Rows [r0, r1), all labelled. */
        private void scale(NDArray dy, NDArray sm, NDArray labels, NDArray o, long r0, long r1, int classes, int es) {
            boolean f32 = dt == DType.FLOAT32;
            long[] ss = sm.strides();
            MemorySegment dst = o.segment();
            MemorySegment[] buf = BUFFERS.get();
            for (long i = r0; i < r1; i++) {
                long row = sm.offset() + i * ss[0], oo = o.offset() + i * classes;
                MemorySegment src = sm.segment();
                long so = row;
                if (ss[1] != 1 && classes > 1) {
                    src = SoftmaxKernel.buffer(buf, 0, (long) classes * es);
                    Copy.run(sm.segment(), row, ss[1], src, 0, 1, classes, es);
                    so = 0;
                }
                double g = perRow(dy, i);
                long label = column(labels, i, classes), at = row + label * ss[1];
                if (f32) {
                    float gf = (float) g;
                    if (gf == g) RowScale.f32(src, so, dst, oo, classes, gf); else RowScale.f32Wide(src, so, dst, oo, classes, g);
                    double s = sm.segment().getAtIndex(ValueLayout.JAVA_FLOAT, at);
                    dst.setAtIndex(ValueLayout.JAVA_FLOAT, oo + label, (float) (g * (s - 1)));
                } else {
                    RowScale.f64(src, so, dst, oo, classes, g);
                    double s = sm.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, at);
                    dst.setAtIndex(ValueLayout.JAVA_DOUBLE, oo + label, g * (s - 1));
                }
            }
        }

        @Override public String describe() {
            return node.op().name() + " " + dt + " (vector dy * softmax row, the label's column from a scalar" + (indexing ? ", unlabelled rows zero)" : ")");
        }
    }

    /**
     * {@code -dy[i] / coding[i, labels[i]]} at each row's label, zero elsewhere: the zeros are one fill per block of
     * rows (vector stores), then one scalar per row, computed in float64 as the reference does (so bit for bit its
     * result). The output is a fresh or reused C-contiguous matrix.
     */
    static final class CrossentropyGradKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        CrossentropyGradKernel(Apply node) { this.node = node; this.dt = node.output(0).dtype(); }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray dy = in[0], coding = in[1], labels = in[2];
            long n = labelledRows(coding, labels, false);
            // a bad label or gradient length: the reference raises its error; an unexpected dtype: its exact reading
            if (n < 0 || !perRowFits(dy, node.input(0).type(), n) || coding.dtype() != dt) { node.op().perform(node, in, out); return; }
            long rows = coding.shape(0), classes = coding.shape(1);
            NDArray o = Op.reuse(out, 0, dt, coding.shape());
            if (rows == 0 || classes == 0) return;
            int es = dt.byteSize();
            long[] cs = coding.strides();
            MemorySegment c = coding.segment(), dst = o.segment();
            boolean f32 = dt == DType.FLOAT32;
            Pool.run(rowParts(rows, classes), (p, q) -> {
                long r0 = rows * p / q, r1 = rows * (p + 1) / q;
                zeroRows(o, r0, r1, classes, es);
                for (long i = r0; i < r1; i++) {
                    long label = column(labels, i, classes), at = coding.offset() + i * cs[0] + label * cs[1];
                    long oo = o.offset() + i * classes + label;
                    double g = perRow(dy, i);
                    if (f32) dst.setAtIndex(ValueLayout.JAVA_FLOAT, oo, (float) (-g / c.getAtIndex(ValueLayout.JAVA_FLOAT, at)));
                    else dst.setAtIndex(ValueLayout.JAVA_DOUBLE, oo, -g / c.getAtIndex(ValueLayout.JAVA_DOUBLE, at));
                }
            });
        }

        @Override public String describe() { return "crossentropy_categorical_1hot_grad " + dt + " (zero fill on vectors, one value per row)"; }
    }
}
