package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * The integer labels of the one-hot cross-entropy family, read under one of two rules.
 * <ul>
 *   <li><b>Categorical</b> ({@code indexing == false}): one label per row of the scores, each in {@code [0, classes)};
 *       a label out of range is an error naming the row (as {@link CrossentropyCategorical1Hot} always did).</li>
 *   <li><b>Indexing</b> ({@code indexing == true}): the labels pick {@code scores[arange(n), labels]} with NumPy's
 *       rules, which is what the rewrites of {@code -log(softmax(x)[arange(n), labels])} replace: the n labels cover
 *       the first n rows (n may be less than the number of rows), and a negative label counts from the end. An index
 *       out of bounds is a ShapeError, as the indexing raised.</li>
 * </ul>
 * Also the per-row output gradient ({@code dy}) of the gradient ops: a vector with one entry per label, or one value
 * for every row (a scalar, or a vector of static size 1).
 */
final class OneHotLabels {
    private OneHotLabels() {}

    /** The number of labels, after checking it against the rows of {@code scores} under the rule. */
    static long count(String op, String what, NDArray scores, NDArray labels, boolean indexing) {
        if (!indexing) return CrossentropyCategorical1Hot.checkRows(op, what, scores, labels);
        long rows = scores.shape(0), n = labels.shape(0);
        if (n > rows)
            throw new TheonException.ShapeError(op + ": labels of shape " + Shapes.str(labels.shape()) + " pick rows 0.." + (n - 1)
                    + " but " + what + " of shape " + Shapes.str(scores.shape()) + " has " + rows + " rows; expected at most one label per row");
        return n;
    }

    /** The column picked by the label of row {@code i}, checked against the number of classes. */
    static long column(String op, NDArray labels, long i, long classes, boolean indexing) {
        if (!indexing) return CrossentropyCategorical1Hot.label(op, labels, i, classes);
        long label = labels.readLong(labels.offset() + i * labels.strides()[0]);
        if (label < -classes || label >= classes)
            throw new TheonException.ShapeError(op + ": label " + label + " in row " + i + " is out of bounds for " + classes
                    + " classes; expected " + -classes + " <= label < " + classes + " (a negative label counts from the end, as in x[arange(n), labels])");
        return label < 0 ? label + classes : label;
    }

    /** The type rule of the labels: an integer vector. */
    static void checkLabelsType(dev.theon.graph.Op op, List<Variable> in, TensorType labels) {
        if (labels.ndim() != 1 || !labels.dtype().isInteger())
            throw op.typeError(in, "labels must be an integer vector (int8, int16, int32 or int64) of class indices, got a "
                    + labels.dtype() + " " + labels.rankName());
    }

    /** The static check of n labels against a matrix of {@code rows} rows (either may be unknown, -1). */
    static void checkStaticRows(dev.theon.graph.Op op, List<Variable> in, String what, long rows, long n, boolean indexing) {
        if (rows < 0 || n < 0) return;
        if (!indexing && rows != n)
            throw op.typeError(in, what + " has " + rows + " rows but labels has " + n + " entries; expected one label per row");
        if (indexing && n > rows)
            throw op.typeError(in, "labels has " + n + " entries but " + what + " has only " + rows + " rows; expected at most one label per row");
    }

    /** The type rule of a per-row output gradient: a float scalar or vector, of static size 1 or one entry per label. */
    static void checkPerRowType(dev.theon.graph.Op op, List<Variable> in, TensorType dy, long n) {
        if (dy.ndim() > 1 || !dy.dtype().isFloat())
            throw op.typeError(in, "the output gradient must be a float scalar or vector (one entry per label), got a "
                    + dy.dtype() + " " + dy.rankName());
        if (dy.ndim() == 1 && dy.dim(0) >= 0 && dy.dim(0) != 1 && n >= 0 && dy.dim(0) != n)
            throw op.typeError(in, "the output gradient has " + dy.dim(0) + " entries but labels has " + n + "; expected one per label");
    }

    /** Checks the run-time length of a per-row output gradient against n labels. */
    static void checkPerRow(String op, NDArray dy, TensorType declared, long n) {
        if (dy.ndim() == 0 || dy.shape(0) == n) return;
        if (dy.shape(0) == 1 && declared.dim(0) == 1) return;
        throw new TheonException.ShapeError(op + ": the output gradient of shape " + Shapes.str(dy.shape()) + " does not match the "
                + n + " labels" + (dy.shape(0) == 1 ? "; a gradient of size 1 broadcasts only when its type declares the size 1 statically" : ""));
    }

    /** The output gradient of row {@code i}. */
    static double perRow(NDArray dy, long i) {
        if (dy.ndim() == 0) return dy.readDouble(dy.offset());
        return dy.readDouble(dy.offset() + (dy.shape(0) == 1 ? 0 : i * dy.strides()[0]));
    }
}
