package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;

/**
 * Axis bookkeeping shared by the reductions ({@link Reduce}, {@link ArgReduce}, {@link Variance}): normalising the
 * user's axes, the output shape, how many elements fold into each output, and the accumulator view that maps every
 * input element onto its output slot. {@code axes == null} means every axis, as NumPy's {@code axis=None}.
 */
public final class ReduceAxes {
    private ReduceAxes() {}

    /**
     * The axes made non-negative, sorted and unique, so that {@code sum(x, -1)} and {@code sum(x, 2)} of a rank-3
     * {@code x} are the same op (and merge). Null stays null. Throws a TypeError naming the op and the operand when an
     * axis is out of range or given twice.
     */
    static int[] normalise(String op, int[] axes, int rank, Variable operand) {
        if (axes == null) return null;
        String of = operand == null ? "an operand of rank " + rank : operand.describe() + " : " + operand.type() + operand.whereCreated();
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            int n = a < 0 ? a + rank : a;
            if (n < 0 || n >= rank)
                throw new TheonException.TypeError(op + ": axis " + a + " is out of range for " + of + "; expected an axis in "
                        + (rank == 0 ? "none (a scalar has no axes)" : "[" + -rank + ", " + (rank - 1) + "]"));
            if (seen[n])
                throw new TheonException.TypeError(op + ": axis " + a + " appears twice in " + Arrays.toString(axes) + " (for " + of
                        + "); expected each axis at most once");
            seen[n] = true;
        }
        int[] norm = new int[axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) if (seen[i]) norm[k++] = i;
        return norm;
    }

    /** Whether axis {@code d} is reduced. */
    public static boolean reduces(int[] axes, int d) {
        if (axes == null) return true;
        for (int a : axes) if (a == d) return true;
        return false;
    }

    /** The output shape (static or concrete): reduced dims dropped, or kept as 1 with {@code keepdims}. */
    public static long[] outShape(int[] axes, boolean keepdims, long[] s) {
        int n = 0;
        for (int d = 0; d < s.length; d++) if (keepdims || !reduces(axes, d)) n++;
        long[] out = new long[n];
        int k = 0;
        for (int d = 0; d < s.length; d++) {
            if (!reduces(axes, d)) out[k++] = s[d];
            else if (keepdims) out[k++] = 1;
        }
        return out;
    }

    /** How many input elements fold into each output element: the product of the reduced dims. */
    public static long count(int[] axes, long[] shape) {
        long c = 1;
        for (int d = 0; d < shape.length; d++) if (reduces(axes, d)) c *= shape[d];
        return c;
    }

    /**
     * {@code out} seen with the input's shape and stride 0 on the reduced axes, so that walking it beside the input
     * (with an {@link dev.theon.tensor.Odometer}) gives, for each input element, the storage index of its output.
     * {@code out} must be contiguous with offset 0 (as {@link dev.theon.graph.Op#reuse} hands it out): then that
     * storage index is also the output's C-order position, usable as an index into a Java accumulator array.
     */
    static NDArray slots(NDArray out, long[] shape, int[] axes, boolean keepdims) {
        long[] ostr = out.strides(), st = new long[shape.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (reduces(axes, d)) { st[d] = 0; if (keepdims) k++; }
            else st[d] = ostr[k++];
        }
        return out.view(shape, st, out.offset());
    }

    /** The largest axis must exist in the operand (an op built for one rank may be applied to another). */
    static String rankProblem(int[] axes, int rank) {
        if (axes != null) for (int a : axes)
            if (a >= rank) return "axis " + a + " is out of range for rank " + rank + "; expected an axis below " + rank;
        return null;
    }

    /** {@code sum{axis=[0, 2], keepdims}}; {@code extra} (e.g. "ddof=1") is appended when not null. */
    static String label(String op, int[] axes, boolean keepdims, String extra) {
        return op + "{" + (axes == null ? "all" : "axis=" + Arrays.toString(axes)) + (keepdims ? ", keepdims" : "")
                + (extra == null ? "" : ", " + extra) + "}";
    }

    /** The runtime error for folding an empty axis with an op that has no identity (max, min, argmax, argmin). */
    static TheonException.ShapeError emptyAxis(String opName, String what, long[] shape) {
        return new TheonException.ShapeError(opName + ": cannot reduce an array of shape " + Shapes.str(shape)
                + " over an axis of size 0, because " + what + " has no identity;"
                + " expected every reduced axis to be non-empty (or the result to be empty)");
    }

    /** The axes, or every axis of a rank when they are null. */
    static int[] all(int[] axes, int rank) {
        if (axes != null) return axes.clone();
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) a[i] = i;
        return a;
    }

    /**
     * {@code v}, shaped like a reduction's output, with the reduced axes put back as broadcastable dims (a no-op with
     * keepdims), so it broadcasts against the reduction's input: how gradients flow back through reductions.
     */
    static Variable keptDims(Variable v, int[] axes, boolean keepdims, int rank) {
        if (keepdims || v.ndim() == rank) return v;
        Object[] pattern = new Object[rank];
        int k = 0;
        for (int d = 0; d < rank; d++) pattern[d] = reduces(axes, d) ? "x" : (Object) k++;
        return T.dimshuffle(v, pattern);
    }

    /** How many elements of {@code x} fold into each output, as a keepdims-shaped float tensor. */
    static Variable count(Variable x, int[] axes) {
        return T.sum(new Elemwise(ScalarOp.SECOND).apply(x, T.asVariable(1.0, x.dtype().isFloat() ? x : null)), axes, true);
    }
}
