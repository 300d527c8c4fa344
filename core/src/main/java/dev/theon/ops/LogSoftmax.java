package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * {@code log(softmax(x, axis))} computed stably as {@code x - max - log(sum(exp(x - max)))}: finite wherever the
 * inputs are, even where softmax itself underflows to 0. Its own op (not log of {@link Softmax}) so that the
 * stabilising rewrite log(softmax(x)) -> log_softmax(x) has a target.
 */
public record LogSoftmax(int axis) implements Op {

    /** The op for a possibly negative {@code axis} of an input of rank {@code rank}. */
    public static LogSoftmax of(int axis, int rank) { return new LogSoftmax(Softmax.axisFor(axis, rank)); }

    @Override public String name() { return "log_softmax{axis=" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) { return List.of(Softmax.floatTypeAlong(this, axis, in)); }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0];
        Softmax.alongAxis(x, Op.reuse(outs, 0, x.dtype().toFloat(), x.shape()), axis, true);
    }

    /**
     * {@code g - exp(lsm) * sum(g, axis, keepdims)}: d lsm_j / d x_k = delta_jk - softmax_k. exp of the log-softmax
     * output is at most 1, so the gradient stays finite where the inputs are (e.g. at x = [1000, 0]).
     * Integer inputs are disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0);
        if (!x.dtype().isFloat()) return Arrays.asList((Variable) null);
        Variable g = gz.get(0);
        Variable gx = T.sub(g, T.mul(T.exp(outputs.get(0)), T.sum(g, new int[]{axis}, true)));
        return List.of(T.cast(gx, x.dtype()));
    }

    @Override public String toString() { return name(); }
}
