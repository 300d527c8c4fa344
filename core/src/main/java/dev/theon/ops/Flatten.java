package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * Theano's flatten: keeps the first {@code ndim - 1} axes and merges all the others into the last one, so the
 * output has rank {@code ndim}; {@code ndim == 1} gives a vector of every element in C order. A scalar flattens to a
 * vector of one element. Like {@link Reshape}, the output is a view of contiguous input, else a copy.
 */
public record Flatten(int ndim) implements Op {

    @Override public String name() { return "flatten{" + ndim + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        TensorType t = in.get(0).type();
        if (ndim < 1 || ndim > Math.max(t.ndim(), 1))
            throw typeError(in, "cannot flatten a tensor of rank " + t.ndim() + " to rank " + ndim + "; expected 1 <= ndim <= " + Math.max(t.ndim(), 1));
        return List.of(TensorType.of(t.dtype(), outShape(t.shape(), true)));
    }

    /** The output shape: leading dims kept, the rest multiplied (statically unknown when one of them is). */
    long[] outShape(long[] s, boolean isStatic) {
        long[] out = new long[ndim];
        System.arraycopy(s, 0, out, 0, ndim - 1);
        long[] rest = new long[Math.max(s.length - (ndim - 1), 0)];
        System.arraycopy(s, ndim - 1, rest, 0, rest.length);
        out[ndim - 1] = isStatic ? Reshape.staticSize(rest) : Shapes.size(rest);
        return out;
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        Reshape.viewOrCopy(in[0], outShape(in[0].shape(), false), outs);
    }

    /** The gradient given the input's shape back. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        return java.util.Arrays.asList(InputGrads.reshapedLike(gz.get(0), inputs.get(0)));
    }

    @Override public String toString() { return name(); }
}
