package dev.theon.ops;

import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The gradient of {@link CrossentropySoftmax1Hot} with respect to its logits, Theano's
 * {@code crossentropy_softmax_1hot_with_bias_dx}: from the per-row output gradient {@code dy}, the softmax of the
 * logits {@code sm} and the labels, {@code dx[i, j] = dy[i] * (sm[i, j] - (j == labels[i] ? 1 : 0))}, in one pass
 * and without a one-hot matrix. The stabilize and specialize phases make it out of the gradient graphs of the
 * one-hot cross-entropy forms, where it replaces the division by the picked probability that the chain rule writes.
 * <p>
 * Inputs: {@code dy} (a float vector with one entry per label, or a scalar or static size-1 vector for all rows),
 * {@code sm} (a float matrix) and {@code labels} (an integer vector), read under the label rule of
 * {@link OneHotLabels}; with {@code indexing}, rows past the labels get a zero gradient, as they do in the gradient of
 * {@code -log(softmax(x)[arange(n), labels])}. The result has sm's type.
 */
public record CrossentropySoftmax1HotDx(boolean indexing) implements Op {

    @Override public String name() { return indexing ? "crossentropy_softmax_1hot_dx{indexing}" : "crossentropy_softmax_1hot_dx"; }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 3) throw typeError(in, "expects 3 operands (dy, sm, labels), got " + in.size());
        TensorType dy = in.get(0).type(), sm = in.get(1).type(), labels = in.get(2).type();
        if (sm.ndim() != 2 || !sm.dtype().isFloat())
            throw typeError(in, "sm must be a float matrix of softmax rows, got a " + sm.dtype() + " " + sm.rankName());
        OneHotLabels.checkLabelsType(this, in, labels);
        OneHotLabels.checkStaticRows(this, in, "sm", sm.dim(0), labels.dim(0), indexing);
        OneHotLabels.checkPerRowType(this, in, dy, labels.dim(0));
        return List.of(sm);
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray dy = in[0], sm = in[1], labels = in[2];
        long n = OneHotLabels.count(name(), "sm", sm, labels, indexing);
        OneHotLabels.checkPerRow(name(), dy, node.input(0).type(), n);
        long rows = sm.shape(0), classes = sm.shape(1);
        NDArray out = Op.reuse(outs, 0, node.output(0).dtype(), sm.shape());
        long[] ss = sm.strides(), os = out.strides();
        for (long i = 0; i < rows; i++) {
            long srow = sm.offset() + i * ss[0], orow = out.offset() + i * os[0];
            if (i >= n) {
                for (long j = 0; j < classes; j++) out.writeDouble(orow + j * os[1], 0);
                continue;
            }
            long label = OneHotLabels.column(name(), labels, i, classes, indexing);
            double g = OneHotLabels.perRow(dy, i);
            if (!contiguousRow(sm, out, srow, orow, classes, g)) {
                for (long j = 0; j < classes; j++) out.writeDouble(orow + j * os[1], g * sm.readDouble(srow + j * ss[1]));
            }
            out.writeDouble(orow + label * os[1], g * (sm.readDouble(srow + label * ss[1]) - 1));
        }
    }

    /**
     * {@code out[orow + j] = g * sm[srow + j]} for a row that is contiguous in both, of one float dtype: a loop over
     * the storage without a dtype switch per element, since this op runs wherever a backend has no kernel of its
     * own. Returns false (nothing written) for other layouts.
     */
    private static boolean contiguousRow(NDArray sm, NDArray out, long srow, long orow, long classes, double g) {
        if (sm.dtype() != out.dtype() || (classes > 1 && (sm.strides()[1] != 1 || out.strides()[1] != 1))) return false;
        MemorySegment in = sm.segment(), o = out.segment();
        if (sm.dtype() == DType.FLOAT64) {
            for (long j = 0; j < classes; j++) o.setAtIndex(ValueLayout.JAVA_DOUBLE, orow + j, g * in.getAtIndex(ValueLayout.JAVA_DOUBLE, srow + j));
            return true;
        }
        if (sm.dtype() == DType.FLOAT32) {
            for (long j = 0; j < classes; j++) o.setAtIndex(ValueLayout.JAVA_FLOAT, orow + j, (float) (g * in.getAtIndex(ValueLayout.JAVA_FLOAT, srow + j)));
            return true;
        }
        return false;
    }

    @Override public String toString() { return name(); }
}
