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
 * Drops the given axes, whose size is 1 at run time. It exists for axes whose static size is unknown: when every
 * axis is statically 1, {@code T.squeeze} builds a {@link DimShuffle} instead. An axis whose static size is known and
 * is not 1 is a type error; an unknown axis that is not 1 at run time is a shape error. The output is a view.
 * {@code axes} are normalised (non-negative, sorted, unique) by {@link #of}.
 */
public record Squeeze(int[] axes) implements Op {

    public Squeeze {
        axes = axes.clone();
    }

    public static Squeeze of(Variable x, int... axes) {
        int rank = x.ndim();
        boolean[] seen = new boolean[rank];
        for (int a : axes) {
            if (a < -rank || a >= rank)
                throw new TheonException.TypeError("squeeze: axis " + a + " is out of range for " + x.describe() + " : " + x.type());
            int n = a < 0 ? a + rank : a;
            if (seen[n]) throw new TheonException.TypeError("squeeze: axis " + a + " appears twice in " + Arrays.toString(axes));
            seen[n] = true;
        }
        int[] norm = new int[axes.length];
        int k = 0;
        for (int i = 0; i < rank; i++) if (seen[i]) norm[k++] = i;
        return new Squeeze(norm);
    }

    @Override public int[] axes() { return axes.clone(); }

    private boolean drops(int d) {
        for (int a : axes) if (a == d) return true;
        return false;
    }

    @Override public String name() { return "squeeze{axis=" + Arrays.toString(axes) + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        TensorType t = in.get(0).type();
        long[] out = new long[t.ndim() - axes.length];
        for (int a : axes) {
            if (a >= t.ndim()) throw typeError(in, "axis " + a + " is out of range for rank " + t.ndim());
            if (t.dim(a) >= 0 && t.dim(a) != 1)
                throw typeError(in, "axis " + a + " has static size " + t.dim(a) + "; only axes of size 1 can be squeezed");
        }
        int k = 0;
        for (int d = 0; d < t.ndim(); d++) if (!drops(d)) out[k++] = t.dim(d);
        return List.of(TensorType.of(t.dtype(), out));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] shape = x.shape(), strides = x.strides();
        long[] s = new long[shape.length - axes.length], st = new long[s.length];
        int k = 0;
        for (int d = 0; d < shape.length; d++) {
            if (!drops(d)) { s[k] = shape[d]; st[k++] = strides[d]; }
            else if (shape[d] != 1)
                throw new TheonException.ShapeError(name() + ": axis " + d + " has size " + shape[d] + " in an input of shape "
                        + Shapes.str(shape) + "; only axes of size 1 can be squeezed");
        }
        outs[0] = x.view(s, st, x.offset());
    }

    /** The dropped axes come back as new axes of size 1. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), g = gz.get(0);
        if (x.dtype().isDiscrete()) return InputGrads.none(1);
        int[] back = new int[x.ndim()];
        for (int d = 0, k = 0; d < back.length; d++) back[d] = drops(d) ? DimShuffle.NEW_AXIS : k++;
        return List.of(InputGrads.of(new DimShuffle(g.ndim(), back).apply(g), x));
    }

    @Override public boolean equals(Object o) { return o instanceof Squeeze q && Arrays.equals(q.axes, axes); }

    @Override public int hashCode() { return Arrays.hashCode(axes); }

    @Override public String toString() { return name(); }
}
