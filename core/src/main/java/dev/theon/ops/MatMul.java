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

import java.util.Arrays;
import java.util.List;

/**
 * NumPy's {@code matmul} ({@code @}): a stack of matrix products over the leading "batch" axes, which broadcast.
 * A vector first operand is read as a row (1, n), a vector second operand as a column (n, 1), and the added axis is
 * removed from the result. Scalars are rejected, as in NumPy.
 * <p>
 * Batch axes broadcast by the static rule of {@link Elemwise}: an axis broadcasts when its static size is 1; an
 * axis of unknown size that turns out to be 1 against a larger one is an error at run time, because a gradient
 * built from the graph would not know to sum over it.
 */
public record MatMul() implements Op {

    @Override public String name() { return "matmul"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 2) throw typeError(in, "expects 2 operands, got " + in.size());
        TensorType ta = in.get(0).type(), tb = in.get(1).type();
        for (int i = 0; i < 2; i++)
            if (in.get(i).type().isScalar())
                throw typeError(in, "operand " + i + " is a scalar; matmul expects operands of rank 1 or more (use T.mul or T.dot to scale by a scalar)");
        long[] sa = asMatrices(ta.shape(), true), sb = asMatrices(tb.shape(), false);
        int ra = sa.length, rb = sb.length;
        if (sa[ra - 1] >= 0 && sb[rb - 2] >= 0 && sa[ra - 1] != sb[rb - 2])
            throw typeError(in, mismatch(ta.shape(), tb.shape(), sa[ra - 1], sb[rb - 2]) + "; expected the last axis of the first operand to match "
                    + (tb.ndim() == 1 ? "the length of the vector" : "the second-to-last axis of the second"));
        long[] batch = Elemwise.staticBroadcast(batchOf(sa), batchOf(sb));
        if (batch == null)
            throw typeError(in, "batch axes " + Shapes.str(batchOf(sa)) + " and " + Shapes.str(batchOf(sb)) + " cannot be broadcast together");
        long[] shape = resultShape(batch, sa[ra - 2], sb[rb - 1], ta.ndim() == 1, tb.ndim() == 1);
        return List.of(TensorType.of(DType.promote(ta.dtype(), tb.dtype()), shape));
    }

    /** A vector as a row (first operand) or a column (second operand); matrices and stacks as they are. */
    private static long[] asMatrices(long[] s, boolean first) {
        if (s.length != 1) return s;
        return first ? new long[]{1, s[0]} : new long[]{s[0], 1};
    }

    private static long[] batchOf(long[] s) { return Arrays.copyOf(s, s.length - 2); }

    private static long[] resultShape(long[] batch, long n, long p, boolean dropRow, boolean dropCol) {
        long[] core = dropRow && dropCol ? new long[0] : dropRow ? new long[]{p} : dropCol ? new long[]{n} : new long[]{n, p};
        return Contraction.concat(batch, core);
    }

    private static String mismatch(long[] sa, long[] sb, long ka, long kb) {
        return "shapes " + Shapes.str(sa) + " and " + Shapes.str(sb) + " do not match in the summed axis: " + ka + " != " + kb;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray a = in[0].ndim() == 1 ? in[0].expandDims(0) : in[0];
        NDArray b = in[1].ndim() == 1 ? in[1].expandDims(1) : in[1];
        long[] sa = a.shape(), sb = b.shape();
        int ra = sa.length, rb = sb.length;
        long k = sa[ra - 1];
        if (k != sb[rb - 2]) throw new TheonException.ShapeError(name() + ": " + mismatch(in[0].shape(), in[1].shape(), k, sb[rb - 2]));
        long[] batch = runtimeBatch(node, in, batchOf(sa), batchOf(sb));
        long n = sa[ra - 2], p = sb[rb - 1];
        long[] full = Contraction.concat(batch, new long[]{n, p});
        NDArray out = Op.reuse(outs, 0, DType.promote(a.dtype(), b.dtype()), resultShape(batch, n, p, in[0].ndim() == 1, in[1].ndim() == 1));
        NDArray outFull = out.reshape(full);  // a view: reuse hands back a contiguous array
        long[] stA = a.strides(), stB = b.strides();
        NDArray av = a.view(full, Contraction.concat(batchStrides(batch, batchOf(sa), stA), new long[]{stA[ra - 2], 0}), a.offset());
        NDArray bv = b.view(full, Contraction.concat(batchStrides(batch, batchOf(sb), stB), new long[]{0, stB[rb - 1]}), b.offset());
        Contraction.run(av, bv, new long[]{k}, new long[]{stA[ra - 1]}, new long[]{stB[rb - 2]}, outFull);
    }

    /** An operand's strides along the broadcast batch axes: 0 where it lacks the axis or has size 1. */
    private static long[] batchStrides(long[] batch, long[] own, long[] strides) {
        long[] st = new long[batch.length];
        int lead = batch.length - own.length;
        for (int d = lead; d < batch.length; d++) st[d] = own[d - lead] == 1 ? 0 : strides[d - lead];
        return st;
    }

    /** NumPy broadcasting of the batch axes, refusing a size-1 axis whose static size was not declared 1. */
    private long[] runtimeBatch(Apply node, NDArray[] in, long[] ba, long[] bb) {
        long[] batch = Shapes.broadcast(ba, bb);
        if (batch == null)
            throw new TheonException.ShapeError(name() + ": batch axes " + Shapes.str(ba) + " and " + Shapes.str(bb) + " of shapes "
                    + Shapes.str(in[0].shape()) + " and " + Shapes.str(in[1].shape()) + " cannot be broadcast together");
        long[][] own = {ba, bb};
        for (int i = 0; i < 2; i++) {
            long[] declared = node.input(i).type().shape();
            int lead = batch.length - own[i].length;
            for (int d = 0; d < own[i].length; d++) {
                if (own[i][d] == 1 && batch[lead + d] != 1 && declared[d] != 1)
                    throw new TheonException.ShapeError(name() + ": operand " + i + " of shape " + Shapes.str(in[i].shape()) + " has size 1 on batch axis " + d
                            + " where the other operand has " + batch[lead + d] + ", but its type " + node.input(i).type()
                            + " does not declare that axis broadcastable; declare it with static size 1 so the broadcast is known when the graph is built");
            }
        }
        return batch;
    }

    /**
     * With vectors seen as a row (a) or a column (b) and g given those axes back: {@code ga = g @ b^T} and
     * {@code gb = a^T @ g}, each summed over the batch axes along which its operand was broadcast, then the vector's
     * added axis removed again.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable a = inputs.get(0), b = inputs.get(1), g = gz.get(0);
        boolean rowA = a.ndim() == 1, colB = b.ndim() == 1;
        Variable ma = rowA ? T.dimshuffle(a, "x", 0) : a, mb = colB ? T.dimshuffle(b, 0, "x") : b;
        int rank = Math.max(ma.ndim(), mb.ndim());
        Object[] full = new Object[rank];
        for (int d = 0, k = 0; d < rank; d++) {
            boolean added = (d == rank - 2 && rowA) || (d == rank - 1 && colB);
            full[d] = added ? "x" : (Object) k++;
        }
        Variable mg = rowA || colB ? T.dimshuffle(g, full) : g;
        Variable ga = null, gb = null;
        if (!a.dtype().isDiscrete()) {
            ga = Grad.sumToType(T.matmul(mg, swapLast(mb)), ma.type());
            ga = InputGrads.of(rowA ? T.dimshuffle(ga, 1) : ga, a);
        }
        if (!b.dtype().isDiscrete()) {
            gb = Grad.sumToType(T.matmul(swapLast(ma), mg), mb.type());
            gb = InputGrads.of(colB ? T.dimshuffle(gb, 0) : gb, b);
        }
        return Arrays.asList(ga, gb);
    }

    /** The last two axes swapped: the transpose of every matrix in a stack. */
    private static Variable swapLast(Variable x) {
        int r = x.ndim();
        int[] p = new int[r];
        for (int d = 0; d < r; d++) p[d] = d;
        p[r - 2] = r - 1;
        p[r - 1] = r - 2;
        return new DimShuffle(r, p).apply(x);
    }

    @Override public String toString() { return name(); }
}
