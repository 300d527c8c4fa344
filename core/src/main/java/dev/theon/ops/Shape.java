package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.List;

/** The run-time shape of a tensor as an int64 vector (Theano's {@code x.shape}); its length is the rank. */
public record Shape() implements Op {

    @Override public String name() { return "shape"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand, got " + in.size());
        return List.of(TensorType.of(DType.INT64, in.get(0).ndim()));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        long[] s = in[0].shape();
        NDArray out = Op.reuse(outs, 0, DType.INT64, new long[]{s.length});
        for (int d = 0; d < s.length; d++) out.writeLong(d, s[d]);
    }

    @Override public String pp(List<String> args) { return args.get(0) + ".shape"; }

    /** An integer result: no gradient flows back through a shape. */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) { return InputGrads.none(1); }

    @Override public String toString() { return name(); }
}
