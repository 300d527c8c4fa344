package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * {@code crossentropy_categorical_1hot(softmax(x), labels)} computed from the logits in one pass per row:
 * {@code out[i] = log(sum_j exp(x[i, j] - m_i)) + m_i - x[i, labels[i]]} with {@code m_i} the row's maximum, which
 * stays finite where softmax underflows to 0. The stabilize phase makes it out of the two-op form; its rules (types,
 * label errors) are those of {@link CrossentropyCategorical1Hot}.
 * <p>
 * With {@code indexing} it is exactly {@code -log(softmax(x)[arange(n), labels])} for n labels, the form the
 * stabilize phase also recognises: the labels read as NumPy's advanced indexing reads them ({@link OneHotLabels}), so
 * the rewrite changes no value and no error into another kind.
 */
public record CrossentropySoftmax1Hot(boolean indexing) implements Op {

    /** The categorical form: one label in {@code [0, classes)} per row. */
    public CrossentropySoftmax1Hot() { this(false); }

    @Override public String name() { return indexing ? "crossentropy_softmax_1hot{indexing}" : "crossentropy_softmax_1hot"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (!indexing) return new CrossentropyCategorical1Hot().outputTypes(in);
        if (in.size() != 2) throw typeError(in, "expects 2 operands (logits, labels), got " + in.size());
        TensorType x = in.get(0).type(), labels = in.get(1).type();
        if (x.ndim() != 2 || !x.dtype().isFloat())
            throw typeError(in, "logits must be a float matrix (one row per example), got a " + x.dtype() + " " + x.rankName());
        OneHotLabels.checkLabelsType(this, in, labels);
        OneHotLabels.checkStaticRows(this, in, "logits", x.dim(0), labels.dim(0), true);
        return List.of(TensorType.of(x.dtype(), labels.dim(0)));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray x = in[0], labels = in[1];
        long rows = OneHotLabels.count(name(), "logits", x, labels, indexing), classes = x.shape(1);
        NDArray out = Op.reuse(outs, 0, x.dtype(), new long[]{rows});
        long[] xs = x.strides();
        long os = out.strides()[0];
        for (long i = 0; i < rows; i++) {
            long label = OneHotLabels.column(name(), labels, i, classes, indexing);
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

    /**
     * With respect to the logits: {@code gz[i] * (softmax(x)[i] - one_hot(labels[i]))}, one fused op
     * ({@link CrossentropySoftmax1HotDx}) under the same label rule. The labels are integers: disconnected.
     */
    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), labels = inputs.get(1);
        Variable sm = new Softmax(1).apply(x);
        return Arrays.asList(new CrossentropySoftmax1HotDx(indexing).apply(gz.get(0), sm, labels), null);
    }

    @Override public String toString() { return name(); }
}
