package dev.theon.ops;

import dev.theon.T;
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
 * Categorical cross-entropy against integer class labels, as Theano's {@code crossentropy_categorical_1hot}:
 * {@code out[i] = -log(coding[i, labels[i]])} for a float matrix {@code coding} of predicted probabilities (one row
 * per example) and an integer vector {@code labels}. Reading one entry per row avoids building the one-hot matrix.
 * A label outside {@code [0, classes)} is an error naming the row.
 */
public record CrossentropyCategorical1Hot() implements Op {

    @Override public String name() { return "crossentropy_categorical_1hot"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 2) throw typeError(in, "expects 2 operands (coding, labels), got " + in.size());
        TensorType coding = in.get(0).type(), labels = in.get(1).type();
        if (coding.ndim() != 2 || !coding.dtype().isFloat())
            throw typeError(in, "coding must be a float matrix of predicted probabilities (one row per example), got a "
                    + coding.dtype() + " " + coding.rankName());
        if (labels.ndim() != 1 || !labels.dtype().isInteger())
            throw typeError(in, "labels must be an integer vector (int8, int16, int32 or int64) of class indices, got a "
                    + labels.dtype() + " " + labels.rankName() + (labels.ndim() == 1 && labels.dtype().isFloat()
                    ? "; cast them with T.cast(labels, DType.INT64)" : ""));
        long rows = coding.dim(0), n = labels.dim(0);
        if (rows >= 0 && n >= 0 && rows != n)
            throw typeError(in, "coding has " + rows + " rows but labels has " + n + " entries; expected one label per row");
        return List.of(TensorType.of(coding.dtype(), rows >= 0 ? rows : n));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray coding = in[0], labels = in[1];
        NDArray out = Op.reuse(outs, 0, coding.dtype(), new long[]{checkRows(name(), "coding", coding, labels)});
        long[] cs = coding.strides();
        long os = out.strides()[0];
        for (long i = 0; i < coding.shape(0); i++) {
            double p = coding.readDouble(coding.offset() + i * cs[0] + label(name(), labels, i, coding.shape(1)) * cs[1]);
            out.writeDouble(out.offset() + i * os, -Math.log(p));
        }
    }

    /** The number of rows, after checking that {@code labels} has one entry per row of {@code scores}. */
    static long checkRows(String op, String what, NDArray scores, NDArray labels) {
        long rows = scores.shape(0);
        if (labels.shape(0) != rows)
            throw new TheonException.ShapeError(op + ": " + what + " of shape " + Shapes.str(scores.shape()) + " has " + rows
                    + " rows but labels of shape " + Shapes.str(labels.shape()) + " has " + labels.shape(0) + " entries; expected one label per row");
        return rows;
    }

    /** The label of row {@code i}, checked against the number of classes. */
    static long label(String op, NDArray labels, long i, long classes) {
        long label = labels.readLong(labels.offset() + i * labels.strides()[0]);
        if (label < 0 || label >= classes)
            throw new IndexOutOfBoundsException(op + ": label " + label + " in row " + i + " is out of range for "
                    + classes + " classes; expected 0 <= label < " + classes);
        return label;
    }

    /**
     * With respect to the coding: {@code -gz[i] / coding[i, labels[i]]} at each row's label position and zero
     * elsewhere. The label positions are a one-hot mask built elementwise, {@code arange(classes)[None, :] ==
     * labels[:, None]}, so the gradient is an ordinary elementwise expression (fused, and differentiable again).
     * The labels are integers: disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable coding = inputs.get(0), labels = inputs.get(1);
        Variable oneHot = T.eq(T.dimshuffle(T.arange(T.shape(coding, 1)), "x", 0), T.dimshuffle(labels, 0, "x"));
        Variable perRow = T.neg(T.dimshuffle(gz.get(0), 0, "x"));
        Variable gc = T.switch_(oneHot, T.div(perRow, coding), 0.0);
        return Arrays.asList(T.cast(gc, coding.dtype()), null);
    }

    @Override public String toString() { return name(); }
}
