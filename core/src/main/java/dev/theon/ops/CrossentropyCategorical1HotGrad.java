package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.List;

/**
 * The gradient of {@link CrossentropyCategorical1Hot} with respect to its coding, Theano's
 * {@code crossentropy_categorical_1hot_grad}: {@code -dy[i] / coding[i, labels[i]]} at each row's label and zero
 * elsewhere, in one pass. The op's own gradient writes the same values elementwise through a one-hot mask (so that it
 * can be differentiated again); the specialize phase puts this op in its place, which needs neither the mask nor the
 * {@code arange} of class indices it is built from.
 * <p>
 * Inputs: {@code dy} (a float vector with one entry per row, or a scalar or static size-1 vector for all rows),
 * {@code coding} (a float matrix) and {@code labels} (an integer vector of one label in {@code [0, classes)} per row).
 * The result has coding's type.
 */
public record CrossentropyCategorical1HotGrad() implements Op {

    @Override public String name() { return "crossentropy_categorical_1hot_grad"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 3) throw typeError(in, "expects 3 operands (dy, coding, labels), got " + in.size());
        TensorType dy = in.get(0).type(), coding = in.get(1).type(), labels = in.get(2).type();
        if (coding.ndim() != 2 || !coding.dtype().isFloat())
            throw typeError(in, "coding must be a float matrix of predicted probabilities, got a " + coding.dtype() + " " + coding.rankName());
        OneHotLabels.checkLabelsType(this, in, labels);
        OneHotLabels.checkStaticRows(this, in, "coding", coding.dim(0), labels.dim(0), false);
        OneHotLabels.checkPerRowType(this, in, dy, labels.dim(0));
        return List.of(coding);
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray dy = in[0], coding = in[1], labels = in[2];
        long rows = OneHotLabels.count(name(), "coding", coding, labels, false), classes = coding.shape(1);
        OneHotLabels.checkPerRow(name(), dy, node.input(0).type(), rows);
        NDArray out = Op.reuse(outs, 0, node.output(0).dtype(), coding.shape());
        long[] cs = coding.strides(), os = out.strides();
        for (long i = 0; i < rows; i++) {
            long label = OneHotLabels.column(name(), labels, i, classes, false);
            long orow = out.offset() + i * os[0];
            for (long j = 0; j < classes; j++) out.writeDouble(orow + j * os[1], 0);
            double p = coding.readDouble(coding.offset() + i * cs[0] + label * cs[1]);
            out.writeDouble(orow + label * os[1], -OneHotLabels.perRow(dy, i) / p);
        }
    }

    @Override public String toString() { return name(); }
}
