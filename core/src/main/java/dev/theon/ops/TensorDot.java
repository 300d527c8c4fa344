package dev.theon.ops;

import dev.theon.TheonException;
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
 * NumPy's {@code tensordot}: sums the products over the paired axes {@code axesA[i]} of a and {@code axesB[i]} of b.
 * The result's axes are a's other axes in order, then b's. No pairs at all is the outer product.
 * Axes are non-negative and checked by {@link #of}; the pairing order is kept.
 */
public record TensorDot(int[] axesA, int[] axesB) implements Op {

    /** Normalises negative axes against the operands' ranks and checks the pairs. */
    public static TensorDot of(int rankA, int rankB, int[] axesA, int[] axesB) {
        if (axesA.length != axesB.length)
            throw new TheonException.TypeError("tensordot: " + axesA.length + " axes of the first operand " + Arrays.toString(axesA) + " but "
                    + axesB.length + " of the second " + Arrays.toString(axesB) + "; expected the same number of axes on both sides, paired in order");
        return new TensorDot(normalise(axesA, rankA, "first"), normalise(axesB, rankB, "second"));
    }

    /** The last {@code n} axes of a against the first {@code n} of b. */
    public static TensorDot ofCount(int rankA, int rankB, int n) {
        if (n < 0 || n > rankA || n > rankB)
            throw new TheonException.TypeError("tensordot: cannot sum over " + n + " axes of operands of rank " + rankA + " and " + rankB
                    + "; expected a count between 0 and the smaller rank");
        int[] xa = new int[n], xb = new int[n];
        for (int i = 0; i < n; i++) { xa[i] = rankA - n + i; xb[i] = i; }
        return new TensorDot(xa, xb);
    }

    private static int[] normalise(int[] axes, int rank, String which) {
        int[] r = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank)
                throw new TheonException.TypeError("tensordot: axis " + axes[i] + " is out of range for the " + which + " operand of rank " + rank);
            if (seen[a]) throw new TheonException.TypeError("tensordot: axis " + axes[i] + " of the " + which + " operand appears twice in " + Arrays.toString(axes));
            seen[a] = true;
            r[i] = a;
        }
        return r;
    }

    @Override public String name() { return "tensordot{axes=(" + Arrays.toString(axesA) + ", " + Arrays.toString(axesB) + ")}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 2) throw typeError(in, "expects 2 operands, got " + in.size());
        TensorType ta = in.get(0).type(), tb = in.get(1).type();
        for (int i = 0; i < axesA.length; i++) {
            if (axesA[i] >= ta.ndim() || axesB[i] >= tb.ndim())
                throw typeError(in, "axes " + Arrays.toString(axesA) + " and " + Arrays.toString(axesB) + " do not fit operands of rank " + ta.ndim() + " and " + tb.ndim());
            long na = ta.dim(axesA[i]), nb = tb.dim(axesB[i]);
            if (na >= 0 && nb >= 0 && na != nb) throw typeError(in, mismatch(ta.shape(), tb.shape(), i) + "; expected paired axes of equal size");
        }
        return List.of(TensorType.of(DType.promote(ta.dtype(), tb.dtype()), Contraction.concat(free(ta.shape(), axesA), free(tb.shape(), axesB))));
    }

    private String mismatch(long[] sa, long[] sb, int pair) {
        return "shape-mismatch for sum: axis " + axesA[pair] + " of " + Shapes.str(sa) + " has size " + sa[axesA[pair]]
                + " but axis " + axesB[pair] + " of " + Shapes.str(sb) + " has size " + sb[axesB[pair]];
    }

    /** The entries of {@code s} (a shape or strides) on the axes not summed over, in order. */
    private static long[] free(long[] s, int[] summed) {
        long[] r = new long[s.length - summed.length];
        int k = 0;
        for (int d = 0; d < s.length; d++) if (!contains(summed, d)) r[k++] = s[d];
        return r;
    }

    private static long[] pick(long[] s, int[] axes) {
        long[] r = new long[axes.length];
        for (int i = 0; i < axes.length; i++) r[i] = s[axes[i]];
        return r;
    }

    private static boolean contains(int[] xs, int x) {
        for (int v : xs) if (v == x) return true;
        return false;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray a = in[0], b = in[1];
        long[] sa = a.shape(), sb = b.shape();
        for (int i = 0; i < axesA.length; i++)
            if (sa[axesA[i]] != sb[axesB[i]]) throw new TheonException.ShapeError(name() + ": " + mismatch(sa, sb, i));
        long[] freeA = free(sa, axesA), freeB = free(sb, axesB);
        long[] shape = Contraction.concat(freeA, freeB);
        NDArray out = Op.reuse(outs, 0, DType.promote(a.dtype(), b.dtype()), shape);
        NDArray av = a.view(shape, Contraction.concat(free(a.strides(), axesA), Contraction.zeros(freeB.length)), a.offset());
        NDArray bv = b.view(shape, Contraction.concat(Contraction.zeros(freeA.length), free(b.strides(), axesB)), b.offset());
        Contraction.run(av, bv, pick(sa, axesA), pick(a.strides(), axesA), pick(b.strides(), axesB), out);
    }

    /**
     * Each operand's gradient is the output gradient summed against the other operand over that operand's free axes
     * (another tensordot), with the resulting axes put back in the operand's order. The result of
     * {@code tensordot(g, b)} over b's free axes has a's free axes, then a's summed axes in the order of the b axes
     * they pair with; likewise for b.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable a = inputs.get(0), b = inputs.get(1), g = gz.get(0);
        int fa = a.ndim() - axesA.length, fb = b.ndim() - axesB.length;
        Variable ga = null, gb = null;
        if (!a.dtype().isDiscrete()) {
            Variable t = new TensorDot(range(fa, fa + fb), freeAxes(b.ndim(), axesB)).apply(g, b);
            ga = InputGrads.of(toOrder(t, concatAxes(freeAxes(a.ndim(), axesA), partnersInOrder(axesB, axesA))), a);
        }
        if (!b.dtype().isDiscrete()) {
            Variable t = new TensorDot(freeAxes(a.ndim(), axesA), range(0, fa)).apply(a, g);
            gb = InputGrads.of(toOrder(t, concatAxes(partnersInOrder(axesA, axesB), freeAxes(b.ndim(), axesB))), b);
        }
        return java.util.Arrays.asList(ga, gb);
    }

    private static int[] range(int from, int to) { return java.util.stream.IntStream.range(from, to).toArray(); }

    /** The axes of a rank-{@code rank} operand that are not summed, in order. */
    private static int[] freeAxes(int rank, int[] summed) {
        return java.util.stream.IntStream.range(0, rank).filter(d -> !contains(summed, d)).toArray();
    }

    /** For each of {@code own}'s axes in ascending order, the axis of {@code other} it is paired with. */
    private static int[] partnersInOrder(int[] own, int[] other) {
        return java.util.stream.IntStream.range(0, own.length).boxed().sorted(java.util.Comparator.comparingInt(i -> own[i]))
                .mapToInt(i -> other[i]).toArray();
    }

    /** {@code t}, whose axis j is the operand's axis {@code axisOf[j]}, transposed into the operand's axis order. */
    private static Variable toOrder(Variable t, int[] axisOf) {
        int[] pattern = new int[axisOf.length];
        boolean identity = true;
        for (int j = 0; j < axisOf.length; j++) {
            pattern[axisOf[j]] = j;
            identity &= axisOf[j] == j;
        }
        return identity ? t : new DimShuffle(t.ndim(), pattern).apply(t);
    }

    private static int[] concatAxes(int[] x, int[] y) {
        int[] r = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorDot t && Arrays.equals(t.axesA, axesA) && Arrays.equals(t.axesB, axesB);
    }

    @Override public int hashCode() { return Arrays.hashCode(axesA) * 31 + Arrays.hashCode(axesB); }

    @Override public String toString() { return name(); }
}
