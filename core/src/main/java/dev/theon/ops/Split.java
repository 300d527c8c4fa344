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
 */
public record Split(long[] sizes, int axis) implements Op {

    public Split {
        sizes = sizes.clone();
    }

    @Override public long[] sizes() { return sizes.clone(); }

    private long total() {
        long t = 0;
        for (long s : sizes) t += s;
        return t;
    }

    @Override public String name() {
        StringBuilder b = new StringBuilder("split{axis=").append(axis).append(", sizes=(");
        for (int i = 0; i < sizes.length; i++) b.append(i > 0 ? ", " : "").append(sizes[i]);
        return b.append(")}").toString();
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        TensorType t = in.get(0).type();
        if (axis < 0 || axis >= t.ndim()) throw typeError(in, "axis " + axis + " is out of range for rank " + t.ndim());
        if (sizes.length == 0) throw typeError(in, "needs at least one piece size");
        for (long s : sizes) if (s < 0) throw typeError(in, "piece sizes " + Arrays.toString(sizes) + " must all be >= 0");
        long n = t.dim(axis);
        if (n >= 0 && n != total())
            throw typeError(in, "piece sizes " + Arrays.toString(sizes) + " add up to " + total() + " but axis " + axis
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
        long n = x.shape(axis);
        if (n != total())
            throw new TheonException.ShapeError(name() + ": piece sizes " + Arrays.toString(sizes) + " add up to " + total()
                    + " but the input of shape " + Shapes.str(x.shape()) + " has size " + n + " on axis " + axis);
        long start = 0;
        for (int i = 0; i < sizes.length; i++) {
            outs[i] = x.slice(axis, start, start + sizes[i], 1);
            start += sizes[i];
        }
    }

    @Override public boolean equals(Object o) { return o instanceof Split s && s.axis == axis && Arrays.equals(s.sizes, sizes); }

    @Override public int hashCode() { return axis * 31 + Arrays.hashCode(sizes); }

    @Override public String toString() { return name(); }
}
