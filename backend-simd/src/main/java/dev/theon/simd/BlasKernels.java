package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.simd.blas.Blas;
import dev.theon.simd.blas.Mat;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;

/**
 * dot, matmul and outer on the packed GEMM and the matrix-vector kernels, for float32 and float64 results.
 * Operands are read through their strides (a transposed operand is a GEMM operand with swapped strides, not a copy);
 * an operand of the other float dtype is converted first. Shape errors are left to the op's reference perform, which
 * raises them with the reference's wording.
 */
final class BlasKernels {
    private BlasKernels() {}

    /** The kernel for a dot, matmul or outer node, or null when it has none for these types (integer results, scalars). */
    static Kernel forNode(Apply node) {
        DType dt = node.output(0).dtype();
        if (dt != DType.FLOAT32 && dt != DType.FLOAT64) return null;
        for (var v : node.inputs()) if (!v.dtype().isFloat()) return null;
        return switch (node.op()) {
            case dev.theon.ops.Dot d -> node.input(0).ndim() == 0 || node.input(1).ndim() == 0 ? null : new DotKernel(node, dt);
            case dev.theon.ops.MatMul m -> new MatMulKernel(node, dt);
            case dev.theon.ops.Outer o -> new OuterKernel(dt);
            case dev.theon.ops.Gemm g -> new GemmKernel(node, dt);
            default -> null;
        };
    }

    static NDArray as(NDArray a, DType dt) { return a.dtype() == dt ? a : a.astype(dt); }

    /** {@code a} as a matrix (rows, last dim): its leading dims merged when the strides allow, else a contiguous copy. */
    static Mat rowsByLast(NDArray a) {
        int nd = a.ndim();
        long[] s = a.shape(), st = a.strides();
        long rows = 1, rs = 0;
        int prev = -1;
        boolean ok = true;
        for (int d = 0; d < nd - 1; d++) {
            rows *= s[d];
            if (s[d] == 1) continue;
            if (prev >= 0) ok &= st[prev] == st[d] * s[d];
            prev = d;
        }
        if (prev >= 0) rs = st[prev];
        if (!ok) {
            a = Copy.contiguous(a);
            st = a.strides();
            rs = st[nd - 2];
        }
        return new Mat(a.segment(), a.offset(), rs, st[nd - 1], Math.toIntExact(rows), Math.toIntExact(s[nd - 1]));
    }

    static final class DotKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        DotKernel(Apply node, DType dt) { this.node = node; this.dt = dt; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray a = as(in[0], dt), b = as(in[1], dt);
            int ka = a.ndim() - 1, kb = b.ndim() == 1 ? 0 : b.ndim() - 2;
            if (a.shape(ka) != b.shape(kb)) { node.op().perform(node, in, out); return; }  // the reference's error
            long[] freeA = Shapes.drop(a.shape(), ka), freeB = Shapes.drop(b.shape(), kb);
            long[] shape = concat(freeA, freeB);
            NDArray o = Op.reuse(out, 0, dt, shape);
            if (o.size() == 0) return;
            Mat ma = rowsByLast(a);
            if (b.ndim() == 1) {
                Blas.gemv(dt, ma, b.segment(), b.offset(), b.strides()[0], o.segment(), o.offset(), 1, Pool.parallelism());
                return;
            }
            // b is (J..., k, n): one product per leading index of b, written with row stride J*n into the output
            int nd = b.ndim();
            long n = b.shape(nd - 1), k = b.shape(nd - 2);
            long[] lead = Arrays.copyOf(b.shape(), nd - 2);
            long count = Shapes.size(lead), ldc = count * n;
            long[] st = b.strides();
            long[] idx = new long[lead.length];
            for (long j = 0; j < count; j++) {
                long off = b.offset();
                for (int d = 0; d < lead.length; d++) off += idx[d] * st[d];
                Mat mb = new Mat(b.segment(), off, st[nd - 2], st[nd - 1], Math.toIntExact(k), Math.toIntExact(n));
                Blas.gemm(dt, ma, mb, o.segment(), o.offset() + j * n, ldc, Pool.parallelism());
                for (int d = lead.length - 1; d >= 0 && ++idx[d] == lead[d]; d--) idx[d] = 0;
            }
        }

        @Override public String describe() { return "gemm " + dt + (node.input(1).ndim() == 1 ? " (matrix-vector)" : " (packed, " + (dt == DType.FLOAT32 ? "6x64" : "6x32") + " micro-kernel)"); }
    }

    static final class MatMulKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        MatMulKernel(Apply node, DType dt) { this.node = node; this.dt = dt; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray a = as(in[0], dt), b = as(in[1], dt);
            boolean rowA = a.ndim() == 1, colB = b.ndim() == 1;
            if (rowA) a = a.expandDims(0);
            if (colB) b = b.expandDims(1);
            int ra = a.ndim(), rb = b.ndim();
            long n = a.shape(ra - 2), k = a.shape(ra - 1), p = b.shape(rb - 1);
            long[] ba = Arrays.copyOf(a.shape(), ra - 2), bb = Arrays.copyOf(b.shape(), rb - 2);
            long[] batch = Shapes.broadcast(ba, bb);
            if (k != b.shape(rb - 2) || batch == null || !declaredBroadcasts(ba, bb, batch)) { node.op().perform(node, in, out); return; }
            long[] core = rowA && colB ? new long[0] : rowA ? new long[]{p} : colB ? new long[]{n} : new long[]{n, p};
            NDArray o = Op.reuse(out, 0, dt, concat(batch, core));
            if (o.size() == 0) return;
            long count = Shapes.size(batch);
            long[] sa = stridesOver(batch, ba, a.strides()), sb = stridesOver(batch, bb, b.strides());
            long ars = a.strides()[ra - 2], acs = a.strides()[ra - 1], brs = b.strides()[rb - 2], bcs = b.strides()[rb - 1];
            NDArray A = a, B = b;
            long work = n * k * p;
            // many small products: split the batch among threads, each product on one thread
            int parts = count > 1 && work < (1L << 21) && count * work >= (1L << 20) ? (int) Math.min(count, Pool.parallelism()) : 1;
            Pool.run(parts, (part, q) -> {
                long j0 = count * part / q, j1 = count * (part + 1) / q;
                int threads = q > 1 ? 1 : Pool.parallelism();
                long[] idx = unravel(j0, batch);
                for (long j = j0; j < j1; j++) {
                    long oa = A.offset(), ob = B.offset();
                    for (int d = 0; d < batch.length; d++) { oa += idx[d] * sa[d]; ob += idx[d] * sb[d]; }
                    Mat ma = new Mat(A.segment(), oa, ars, acs, (int) n, (int) k), mb = new Mat(B.segment(), ob, brs, bcs, (int) k, (int) p);
                    Blas.gemm(dt, ma, mb, o.segment(), o.offset() + j * n * p, p, threads);
                    for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) idx[d] = 0;
                }
            });
        }

        /** A batch dim of size 1 against a larger one must be declared broadcastable (static size 1). */
        private boolean declaredBroadcasts(long[] ba, long[] bb, long[] batch) {
            long[][] own = {ba, bb};
            for (int i = 0; i < 2; i++) {
                long[] declared = node.input(i).type().shape();
                int lead = batch.length - own[i].length;
                for (int d = 0; d < own[i].length; d++)
                    if (own[i][d] == 1 && batch[lead + d] != 1 && (d >= declared.length || declared[d] != 1)) return false;
            }
            return true;
        }

        @Override public String describe() { return "gemm " + dt + " per batch (packed, " + (dt == DType.FLOAT32 ? "6x64" : "6x32") + " micro-kernel; matrix-vector for vector operands)"; }
    }

    static final class OuterKernel implements Kernel {
        private final DType dt;

        OuterKernel(DType dt) { this.dt = dt; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray a = as(in[0], dt).reshape(-1), b = as(in[1], dt).reshape(-1);
            int m = Math.toIntExact(a.shape(0)), n = Math.toIntExact(b.shape(0));
            NDArray o = Op.reuse(out, 0, dt, new long[]{m, n});
            if (o.size() == 0) return;
            Blas.gemm(dt, new Mat(a.segment(), a.offset(), a.strides()[0], 0, m, 1), new Mat(b.segment(), b.offset(), 0, b.strides()[0], 1, n),
                    o.segment(), o.offset(), n, Pool.parallelism());
        }

        @Override public String describe() { return "outer product " + dt + " (gemm with k = 1)"; }
    }

    /**
     * gemm: {@code beta * C + alpha * dot(A, B)} (B a matrix or a vector, C broadcast to the product) in one pass of
     * the packed GEMM (or gemv), which writes each tile of the output as {@code alpha * product + beta * C}.
     * Inplace marks on C are not honoured (the output is never C's storage), which is always correct.
     */
    static final class GemmKernel implements Kernel {
        private final Apply node;
        private final DType dt;

        GemmKernel(Apply node, DType dt) { this.node = node; this.dt = dt; }

        @Override public void run(NDArray[] in, NDArray[] out) {
            NDArray c = as(in[0], dt), a = as(in[2], dt), b = as(in[3], dt);
            long m = a.shape(0), k = a.shape(1);
            boolean vector = b.ndim() == 1;
            long n = vector ? 1 : b.shape(1);
            long[] shape = vector ? new long[]{m} : new long[]{m, n};
            if (b.shape(0) != k || !broadcasts(c, shape)) { node.op().perform(node, in, out); return; }  // the reference's errors
            double alpha = in[1].toDouble(), beta = in[4].toDouble();
            NDArray o = Op.reuse(out, 0, dt, shape);
            if (o.size() == 0) return;
            NDArray cv = c.broadcastTo(shape);
            long[] cs = cv.strides(), bs = b.strides();
            // a vector B and output are k x 1 and m x 1 matrices (gemm hands n = 1 to gemv)
            Mat ma = new Mat(a.segment(), a.offset(), a.strides()[0], a.strides()[1], (int) m, (int) k);
            Mat mb = new Mat(b.segment(), b.offset(), bs[0], vector ? 0 : bs[1], (int) k, (int) n);
            Mat mc = new Mat(cv.segment(), cv.offset(), cs[0], vector ? 0 : cs[1], (int) m, (int) n);
            Blas.gemm(dt, alpha, ma, mb, beta, mc, o.segment(), o.offset(), n, Pool.parallelism());
        }

        /** C's dims match the product's, or are 1 where its type declares them broadcastable. */
        private boolean broadcasts(NDArray c, long[] shape) {
            long[] cs = c.shape(), declared = node.input(0).type().shape();
            if (cs.length > shape.length) return false;
            for (int d = 0; d < cs.length; d++) {
                long want = shape[shape.length - cs.length + d];
                if (cs[d] != want && !(cs[d] == 1 && declared[d] == 1)) return false;
            }
            return true;
        }

        @Override public String describe() {
            return "gemm " + dt + (node.input(3).ndim() == 1 ? " (matrix-vector, then alpha * product + beta * C)" : " (packed, alpha * product + beta * C as each tile is written)");
        }
    }

    static long[] concat(long[] x, long[] y) {
        long[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** An operand's strides along the broadcast batch dims: 0 where it lacks the dim or has size 1. */
    static long[] stridesOver(long[] batch, long[] own, long[] strides) {
        long[] st = new long[batch.length];
        int lead = batch.length - own.length;
        for (int d = lead; d < batch.length; d++) st[d] = own[d - lead] == 1 ? 0 : strides[d - lead];
        return st;
    }

    static long[] unravel(long flat, long[] shape) {
        long[] idx = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) { idx[d] = flat % shape[d]; flat /= shape[d]; }
        return idx;
    }
}
