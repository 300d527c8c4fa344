package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.List;

/** The run-time size of one axis of a tensor as an int64 scalar (Theano's {@code Shape_i}, {@code x.shape[i]}). */
public record ShapeI(int axis) implements Op {

    public ShapeI {
        if (axis < 0) throw new IllegalArgumentException("shape_i needs a non-negative axis, got " + axis);
    }

    @Override public String name() { return "shape_i{" + axis + "}"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        if (axis >= in.get(0).ndim())
            throw typeError(in, "axis " + axis + " is out of range; expected an axis below the operand's rank " + in.get(0).ndim());
        return List.of(TensorType.of(DType.INT64));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray out = Op.reuse(outs, 0, DType.INT64, new long[0]);
        out.writeLong(0, in[0].shape(axis));
    }

    @Override public String pp(List<String> args) { return args.get(0) + ".shape[" + axis + "]"; }

    /** An integer result: no gradient flows back through a shape. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) { return InputGrads.none(1); }

    @Override public String toString() { return name(); }
}
