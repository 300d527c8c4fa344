package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.List;

/**
 * {@code crossentropy_categorical_1hot(softmax(x), labels)} computed from the logits in one pass per row:
 * {@code out[i] = log(sum_j exp(x[i, j] - m_i)) + m_i - x[i, labels[i]]} with {@code m_i} the row's maximum, which
 * stays finite where softmax underflows to 0. The stabilize phase makes it out of the two-op form; its rules (types,
 * label errors) are those of {@link CrossentropyCategorical1Hot}.
 */
public record CrossentropySoftmax1Hot() implements Op {

    @Override public String name() { return "crossentropy_softmax_1hot"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) { return new CrossentropyCategorical1Hot().outputTypes(in); }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0], labels = in[1];
        long rows = CrossentropyCategorical1Hot.checkRows(name(), "logits", x, labels), classes = x.shape(1);
        NDArray out = Op.reuse(outs, 0, x.dtype(), new long[]{rows});
        long[] xs = x.strides();
        long os = out.strides()[0];
        for (long i = 0; i < rows; i++) {
            long label = CrossentropyCategorical1Hot.label(name(), labels, i, classes);
            long row = x.offset() + i * xs[0];
            double m = Double.NEGATIVE_INFINITY;
            for (long j = 0; j < classes; j++) {
                double v = x.readDouble(row + j * xs[1]);
                if (v > m || Double.isNaN(v)) m = v;
            }
            double s = 0;
            for (long j = 0; j < classes; j++) s += Math.exp(x.readDouble(row + j * xs[1]) - m);
            out.writeDouble(out.offset() + i * os, Math.log(s) + m - x.readDouble(row + label * xs[1]));
        }
    }

    @Override public String toString() { return name(); }
}
