package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a tensor along {@code axis} into consecutive pieces of the given sizes (Theano's Split): one output per
 * piece, each a view of the input. The sizes must add up to the input's size on that axis. {@code axis} is
 * non-negative (normalised by the facade).
 * <p>
 * A size may be {@link Shapes#UNKNOWN} (-1): the op then takes a second input, an integer vector with one entry per
 * piece, that gives every size at run time (the known ones must agree with it). That form is what the gradient of
 * {@link Join} needs to cut its output gradient back into pieces whose sizes are known only when the graph runs.
 */
public record Split(long[] sizes, int axis) implements Op {

    public Split {
        sizes = sizes.clone();
    }

    @Override public long[] sizes() { return sizes.clone(); }

    /** Whether some size is given at run time by the second input. */
    public boolean isSymbolic() {
        for (long s : sizes) if (s == Shapes.UNKNOWN) return true;
        return false;
    }

    private static long total(long[] sizes) {
        long t = 0;
        for (long s : sizes) t += s;
        return t;
    }

    @Override public String name() {
        StringBuilder b = new StringBuilder("split{axis=").append(axis).append(", sizes=(");
        for (int i = 0; i < sizes.length; i++) b.append(i > 0 ? ", " : "").append(sizes[i] == Shapes.UNKNOWN ? "?" : Long.toString(sizes[i]));
        return b.append(")}").toString();
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        boolean symbolic = isSymbolic();
        int want = symbolic ? 2 : 1;
        if (in.size() != want) {
            if (symbolic && in.size() == 1)
                throw typeError(in, "piece sizes " + Arrays.toString(sizes) + " must all be >= 0, or -1 where a second input"
                        + " (an integer vector of length " + sizes.length + ") gives the sizes at run time");
            throw typeError(in, "expects " + want + " operand(s), got " + in.size());
        }
        TensorType t = in.get(0).type();
        if (axis < 0 || axis >= t.ndim()) throw typeError(in, "axis " + axis + " is out of range for rank " + t.ndim());
        if (sizes.length == 0) throw typeError(in, "needs at least one piece size");
        for (long s : sizes)
            if (s < 0 && s != Shapes.UNKNOWN) throw typeError(in, "piece sizes " + Arrays.toString(sizes) + " must all be >= 0 (or -1, given at run time)");
        if (symbolic) {
            TensorType st = in.get(1).type();
            if (!st.dtype().isInteger() || st.ndim() != 1 || st.dim(0) != sizes.length)
                throw typeError(in, "the run-time piece sizes must be an integer vector of static length " + sizes.length + ", got " + st);
        }
        long n = t.dim(axis);
        if (n >= 0 && !symbolic && n != total(sizes))
            throw typeError(in, "piece sizes " + Arrays.toString(sizes) + " add up to " + total(sizes) + " but axis " + axis
                    + " has static size " + n + "; they must add up to the size of the split axis");
        List<TensorType> outs = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            long[] shape = t.shape();
            shape[axis] = s;
            outs.add(TensorType.of(t.dtype(), shape));
        }
        return outs;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        long[] sizes = isSymbolic() ? runtimeSizes(in[1]) : this.sizes;
        long n = x.shape(axis);
        if (n != total(sizes))
            throw new TheonException.ShapeError(name() + ": piece sizes " + Arrays.toString(sizes) + " add up to " + total(sizes)
                    + " but the input of shape " + Shapes.str(x.shape()) + " has size " + n + " on axis " + axis);
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            outs[i] = x.slice(axis, start, start + sizes[i], 1);
            start += sizes[i];
        }
    }

    /** The sizes given at run time, checked against the static ones. */
    private long[] runtimeSizes(NDArray v) {
        if (v.ndim() != 1 || v.shape(0) != sizes.length)
            throw new TheonException.ShapeError(name() + ": the piece sizes have shape " + Shapes.str(v.shape()) + ", expected (" + sizes.length + ",)");
        long[] r = v.toLongArray();
        for (int i = 0; i < r.length; i++)
            if (r[i] < 0 || (sizes[i] != Shapes.UNKNOWN && sizes[i] != r[i]))
                throw new TheonException.ShapeError(name() + ": piece " + i + " has run-time size " + r[i] + "; expected "
                        + (sizes[i] == Shapes.UNKNOWN ? "a size >= 0" : "its static size " + sizes[i]));
        return r;
    }

    /**
     * The output gradients joined back along the axis (the machinery hands in zeros for pieces that do not reach the
     * cost); the run-time sizes, if any, are disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0);
        Variable gx = x.dtype().isDiscrete() ? null : InputGrads.of(new Join(axis).make(gz).out(), x);
        return inputs.size() == 2 ? Arrays.asList(gx, null) : Arrays.asList(gx);
    }

    @Override public boolean equals(Object o) { return o instanceof Split s && s.axis == axis && Arrays.equals(s.sizes, sizes); }

    @Override public int hashCode() { return axis * 31 + Arrays.hashCode(sizes); }

    @Override public String toString() { return name(); }
}
