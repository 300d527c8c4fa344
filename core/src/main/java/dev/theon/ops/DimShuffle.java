package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.Arrays;
import java.util.List;

/**
 * Theano's DimShuffle: reorders the axes of its input, inserts new axes of static size 1 and drops axes of static
 * size 1. Output axis {@code i} is input axis {@code pattern[i]}, or a new broadcastable axis where
 * {@code pattern[i] == }{@link #NEW_AXIS} (written "x"). Input axes missing from the pattern must be broadcastable,
 * so no data is ever lost; the output is always a view of the input (only strides change).
 * Transpose, expandDims and squeeze of static-size-1 axes are all DimShuffles.
 */
public record DimShuffle(int inputNdim, int[] pattern) implements Op {

    /** The pattern entry that inserts a new axis of size 1 ("x" in Theano's notation). */
    public static final int NEW_AXIS = -1;

    public DimShuffle {
        pattern = pattern.clone();
    }

    @Override public int[] pattern() { return pattern.clone(); }

    /**
     * Parses a Theano pattern for {@code x}: axis numbers (negative ones count from the end) and the String "x".
     * A single {@code int[]} is accepted as the whole pattern.
     */
    public static DimShuffle parse(Variable x, Object... entries) {
        if (entries.length == 1 && entries[0] instanceof int[] ints) entries = Arrays.stream(ints).boxed().toArray();
        int rank = x.ndim();
        int[] p = new int[entries.length];
        for (int i = 0; i < entries.length; i++) {
            Object e = entries[i];
            if ("x".equals(e)) p[i] = NEW_AXIS;
            else if (e instanceof Integer || e instanceof Long || e instanceof Short || e instanceof Byte) {
                long a = ((Number) e).longValue();
                if (a < -rank || a >= rank)
                    throw new TheonException.TypeError("dimshuffle: pattern entry " + i + " is axis " + a + ", out of range for "
                            + x.describe() + " : " + x.type() + " (axes are 0.." + (rank - 1) + ", or negative from the end)");
                p[i] = (int) (a < 0 ? a + rank : a);
            } else {
                throw new TheonException.TypeError("dimshuffle: pattern entry " + i + " is " + (e == null ? "null" : "'" + e + "'")
                        + "; expected an input axis number or the String \"x\" (a new axis of size 1)");
            }
        }
        return new DimShuffle(rank, p);
    }

    /** The permutation that reverses the axes of a rank-{@code n} tensor. */
    public static DimShuffle reverse(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = n - 1 - i;
        return new DimShuffle(n, p);
    }

    /** True when this only permutes the axes (no new axes, none dropped). */
    public boolean isPermutation() {
        if (pattern.length != inputNdim) return false;
        for (int a : pattern) if (a == NEW_AXIS) return false;
        return true;
    }

    /** True for the full reversal of the axes of a tensor of rank 2 or more: the {@code .T} of NumPy. */
    public boolean isTranspose() { return inputNdim >= 2 && equals(reverse(inputNdim)); }

    @Override public String name() {
        StringBuilder b = new StringBuilder("dimshuffle{");
        for (int i = 0; i < pattern.length; i++) b.append(i > 0 ? "," : "").append(pattern[i] == NEW_AXIS ? "x" : Integer.toString(pattern[i]));
        return b.append('}').toString();
    }

    @Override public String pp(List<String> args) { return isTranspose() ? args.get(0) + ".T" : Op.super.pp(args); }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        TensorType t = in.get(0).type();
        if (t.ndim() != inputNdim)
            throw typeError(in, "expects an input of rank " + inputNdim + " (the pattern was built for it), got rank " + t.ndim());
        boolean[] kept = new boolean[inputNdim];
        long[] out = new long[pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            int a = pattern[i];
            if (a == NEW_AXIS) { out[i] = 1; continue; }
            if (a < 0 || a >= inputNdim) throw typeError(in, "pattern " + patternStr() + " names axis " + a + ", out of range for rank " + inputNdim);
            if (kept[a]) throw typeError(in, "pattern " + patternStr() + " names input axis " + a + " twice; each axis may appear at most once");
            kept[a] = true;
            out[i] = t.dim(a);
        }
        for (int a = 0; a < inputNdim; a++) {
            if (!kept[a] && t.dim(a) != 1)
                throw typeError(in, "input axis " + a + " (static size " + (t.dim(a) < 0 ? "unknown" : Long.toString(t.dim(a)))
                        + ") is left out of the pattern " + patternStr() + ", but only broadcastable axes (static size 1) may be dropped;"
                        + " keep the axis in the pattern, or declare it with static size 1");
        }
        return List.of(TensorType.of(t.dtype(), out));
    }

    private String patternStr() { return name().substring("dimshuffle".length()); }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape(), strides = x.strides();
        boolean[] kept = new boolean[inputNdim];
        long[] s = new long[pattern.length], st = new long[pattern.length];
        for (int i = 0; i < pattern.length; i++) {
            int a = pattern[i];
            if (a == NEW_AXIS) { s[i] = 1; st[i] = 0; }
            else { kept[a] = true; s[i] = shape[a]; st[i] = strides[a]; }
        }
        for (int a = 0; a < inputNdim; a++)
            if (!kept[a] && shape[a] != 1)
                throw new TheonException.ShapeError(name() + ": dropped input axis " + a + " has size " + shape[a]
                        + " in an input of shape " + Shapes.str(shape) + "; only axes of size 1 can be dropped");
        outs[0] = x.view(s, st, x.offset());
    }

    /**
     * The inverse shuffle: each kept axis goes back to its place, new axes are dropped and dropped (size-1) axes come
     * back as new ones. A gradient whose type does not say that a new axis has size 1 (it is 1 at run time) is first
     * summed over it with keepdims, which changes no value but makes the axis droppable.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), g = gz.get(0);
        if (x.dtype().isDiscrete()) return InputGrads.none(1);
        int[] unsure = java.util.stream.IntStream.range(0, pattern.length)
                .filter(i -> pattern[i] == NEW_AXIS && g.type().dim(i) != 1).toArray();
        Variable gs = unsure.length == 0 ? g : Reduce.of(Reduce.Kind.SUM, g.ndim(), unsure, true).apply(g);
        int[] back = new int[inputNdim];
        Arrays.fill(back, NEW_AXIS);
        for (int i = 0; i < pattern.length; i++) if (pattern[i] != NEW_AXIS) back[pattern[i]] = i;
        return List.of(InputGrads.of(new DimShuffle(pattern.length, back).apply(gs), x));
    }

    @Override public boolean equals(Object o) {
        return o instanceof DimShuffle d && d.inputNdim == inputNdim && Arrays.equals(d.pattern, pattern);
    }

    @Override public int hashCode() { return inputNdim * 31 + Arrays.hashCode(pattern); }

    @Override public String toString() { return name(); }
}
