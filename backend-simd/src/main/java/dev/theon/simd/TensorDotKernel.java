package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.ops.TensorDot;
import dev.theon.simd.blas.Blas;
import dev.theon.simd.blas.Mat;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;

/**
 * tensordot as one GEMM: a's free axes then its summed axes, and b's summed axes (in pairing order) then its free
 * axes, are transposed views; each group of axes becomes one matrix dim when its strides merge (a contiguous operand,
 * or a transposed one, needs no copy), otherwise the operand is copied contiguous first. float32 and float64 results;
 * as for dot, float32 accumulates in float32 (the reference accumulates in float64). Operands of another dtype are
 * converted to the result's first.
 */
final class TensorDotKernel implements Kernel {
    private final Apply node;
    private final int[] permA, permB;
    private final int freeA, summed;
    private final DType dt;

    private TensorDotKernel(Apply node, TensorDot op, DType dt) {
        this.node = node;
        this.dt = dt;
        int ra = node.input(0).ndim(), rb = node.input(1).ndim();
        summed = op.axesA().length;
        freeA = ra - summed;
        permA = new int[ra];
        permB = new int[rb];
        int k = 0;
        for (int d = 0; d < ra; d++) if (!contains(op.axesA(), d)) permA[k++] = d;
        for (int a : op.axesA()) permA[k++] = a;
        k = 0;
        for (int b : op.axesB()) permB[k++] = b;
        for (int d = 0; d < rb; d++) if (!contains(op.axesB(), d)) permB[k++] = d;
    }

    /** The kernel for a tensordot node with a float32 or float64 result, else null. */
    static Kernel forNode(Apply node) {
        DType dt = node.output(0).dtype();
        if (!(node.op() instanceof TensorDot t) || dt != DType.FLOAT32 && dt != DType.FLOAT64) return null;
        return new TensorDotKernel(node, t, dt);
    }

    @Override public void run(NDArray[] in, NDArray[] out) {
        NDArray a = BlasKernels.as(in[0], dt).transpose(permA), b = BlasKernels.as(in[1], dt).transpose(permB);
        for (int i = 0; i < summed; i++)
            if (a.shape(freeA + i) != b.shape(i)) { node.op().perform(node, in, out); return; }  // the reference's error
        long[] sa = a.shape(), sb = b.shape();
        long[] shape = BlasKernels.concat(Arrays.copyOf(sa, freeA), Arrays.copyOfRange(sb, summed, sb.length));
        NDArray o = Op.reuse(out, 0, dt, shape);
        if (o.size() == 0) return;
        Mat ma = matrix(a, freeA), mb = matrix(b, summed);
        Blas.gemm(dt, ma, mb, o.segment(), o.offset(), mb.cols(), Pool.parallelism());
    }

    /** {@code t} as a matrix of its dims before {@code split} by those from it: a view when the strides allow, else a copy. */
    static Mat matrix(NDArray t, int split) {
        long[] s = t.shape(), st = t.strides();
        long rs = merged(s, st, 0, split), cs = merged(s, st, split, s.length);
        if (rs == -1 || cs == -1) {
            t = Copy.contiguous(t);
            st = t.strides();
            rs = merged(s, st, 0, split);
            cs = merged(s, st, split, s.length);
        }
        long rows = Shapes.size(Arrays.copyOfRange(s, 0, split)), cols = Shapes.size(Arrays.copyOfRange(s, split, s.length));
        return new Mat(t.segment(), t.offset(), rs, cs, Math.toIntExact(rows), Math.toIntExact(cols));
    }

    /** The one stride that walks dims {@code [from, to)} as a single dim in C order, 1 when they hold one element, -1 when none does. */
    private static long merged(long[] s, long[] st, int from, int to) {
        long stride = 1;
        int prev = -1;
        for (int d = from; d < to; d++) {
            if (s[d] == 1) continue;
            if (prev >= 0 && st[prev] != st[d] * s[d]) return -1;
            prev = d;
            stride = st[d];
        }
        return stride;
    }

    private static boolean contains(int[] xs, int x) {
        for (int v : xs) if (v == x) return true;
        return false;
    }

    @Override public String describe() { return "tensordot as one gemm " + dt + " (operands viewed as matrices, copied only when their strides do not merge)"; }
}
