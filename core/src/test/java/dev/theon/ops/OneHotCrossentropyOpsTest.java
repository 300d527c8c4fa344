package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused one-hot cross-entropy ops on their own: {@code crossentropy_softmax_1hot} under both label rules, its
 * gradient {@code crossentropy_softmax_1hot_dx} and {@code crossentropy_categorical_1hot_grad}, against float64 loops
 * written here; strided inputs, empty batches, the broadcasting output gradient, and the errors.
 */
class OneHotCrossentropyOpsTest {

    static final double[][] X = {{1, 2, 3}, {0.5, -1, 0}, {4, 4, 5}, {-2, 0, 2}};

    static double[][] softmax(double[][] x) {
        double[][] s = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double z = 0;
            for (double v : x[i]) z += Math.exp(v);
            s[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) s[i][j] = Math.exp(x[i][j]) / z;
        }
        return s;
    }

    /** dx[i, j] = dy[i] * (sm[i, j] - one_hot) for the labelled rows, 0 for the rest; negative labels from the end. */
    static double[] dx(double[] dy, double[][] sm, long[] labels) {
        int k = sm[0].length;
        double[] r = new double[sm.length * k];
        for (int i = 0; i < labels.length; i++) {
            int l = (int) (labels[i] < 0 ? labels[i] + k : labels[i]);
            double g = dy.length == 1 ? dy[0] : dy[i];
            for (int j = 0; j < k; j++) r[i * k + j] = g * (sm[i][j] - (j == l ? 1 : 0));
        }
        return r;
    }

    static void assertClose(double[] want, NDArray got, double tol) {
        assertEquals(want.length, got.size(), "size");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got.flatDouble(i), tol * Math.max(1, Math.abs(want[i])), "element " + i);
    }

    static Function fn(List<Variable> in, Variable out) { return Theon.function(in, out); }

    // ---------------------------------------------------------------- crossentropy_softmax_1hot{indexing}

    @Test void indexingRuleReadsLabelsAsTheIndexingDoes() {
        Variable x = T.dmatrix("x"), y = T.lvector("y");
        Function f = fn(List.of(x, y), new CrossentropySoftmax1Hot(true).apply(x, y));
        double[][] s = softmax(X);
        // two labels for four rows: the first two rows; -1 is the last class
        NDArray r = f.call(X, new long[]{-1, 1});
        assertArrayEquals(new long[]{2}, r.shape());
        assertClose(new double[]{-Math.log(s[0][2]), -Math.log(s[1][1])}, r, 1e-14);
        assertArrayEquals(new long[]{0}, f.call(X, new long[0]).shape());
        // out of bounds: a ShapeError naming the label and the row
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.call(X, new long[]{0, -4}));
        assertTrue(e.getMessage().contains("label -4 in row 1") && e.getMessage().contains("-3 <= label < 3"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> f.call(X, new long[]{0, 1, 2, 0, 1}));
        assertTrue(e.getMessage().contains("4 rows"), e.getMessage());
        // the categorical rule is unchanged: one label per row, no negative labels
        Function strict = fn(List.of(x, y), new CrossentropySoftmax1Hot().apply(x, y));
        assertEquals(new CrossentropySoftmax1Hot(false), new CrossentropySoftmax1Hot());
        assertThrows(TheonException.ShapeError.class, () -> strict.call(X, new long[]{0, 1}));
        TheonException e2 = assertThrows(TheonException.class, () -> strict.call(X, new long[]{0, 1, -1, 0}));
        assertTrue(e2.getMessage().contains("label -1 in row 2"), e2.getMessage());
    }

    @Test void indexingRuleTypes() {
        Variable y3 = T.tensor(DType.INT64, new long[]{3}, "y");
        Variable x2 = T.tensor(DType.FLOAT32, new long[]{2, 5}, "x"), x4 = T.tensor(DType.FLOAT32, new long[]{4, 5}, "x");
        var e = assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1Hot(true).apply(x2, y3));
        assertTrue(e.getMessage().contains("at most one label per row"), e.getMessage());
        Variable out = new CrossentropySoftmax1Hot(true).apply(x4, y3);
        assertEquals(DType.FLOAT32, out.dtype());
        assertEquals(3, out.type().dim(0));
        assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1Hot(true).apply(x4, T.dvector("f")));
        assertEquals("crossentropy_softmax_1hot{indexing}", new CrossentropySoftmax1Hot(true).name());
    }

    @Test void crossentropySoftmaxGradientIsTheFusedDx() {
        NDArray x = NDArray.of(X);
        for (boolean indexing : new boolean[]{false, true}) {
            Theon.verifyGrad(in -> new CrossentropySoftmax1Hot(indexing).apply(in.get(0), in.get(1)), List.of(x, NDArray.of(2L, 0L, 1L, 1L)));
        }
        Theon.verifyGrad(in -> new CrossentropySoftmax1Hot(true).apply(in.get(0), in.get(1)), List.of(x, NDArray.of(-1L, 0L)));
        // the gradient graph holds the dx op
        Variable xv = T.dmatrix("x"), y = T.lvector("y");
        Variable g = T.grad(T.sum(new CrossentropySoftmax1Hot().apply(xv, y)), xv);
        assertInstanceOf(CrossentropySoftmax1HotDx.class, g.owner().op());
        // the dx op itself has no gradient, and says so
        Variable dy = T.dvector("dy");
        var e = assertThrows(TheonException.GradientError.class,
                () -> T.grad(T.sum(new CrossentropySoftmax1HotDx(false).apply(dy, T.softmax(xv), y)), xv));
        assertTrue(e.getMessage().contains("crossentropy_softmax_1hot_dx"), e.getMessage());
    }

    // ---------------------------------------------------------------- crossentropy_softmax_1hot_dx

    @Test void dxValuesForEveryShapeOfOutputGradient() {
        double[][] s = softmax(X);
        NDArray sm = NDArray.of(s);
        long[] labels = {2, 0, 1, 1};
        for (DType dt : List.of(DType.FLOAT64, DType.FLOAT32)) {
            double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-15;
            Variable smv = T.tensor(dt, 2, "sm"), y = T.lvector("y");
            Variable vec = T.tensor(dt, 1, "dy"), one = T.tensor(dt, new long[]{1}, "dy1"), sc = T.tensor(dt, 0, "dys");
            double[] dys = {0.5, -2, 1, 0.25};
            NDArray r = fn(List.of(vec, smv, y), new CrossentropySoftmax1HotDx(false).apply(vec, smv, y)).call(NDArray.of(dys).astype(dt), sm.astype(dt), labels);
            assertEquals(dt, r.dtype());
            assertClose(dx(dys, s, labels), r, tol);
            r = fn(List.of(one, smv, y), new CrossentropySoftmax1HotDx(false).apply(one, smv, y)).call(NDArray.of(3.0).reshape(1).astype(dt), sm.astype(dt), labels);
            assertClose(dx(new double[]{3}, s, labels), r, tol);
            r = fn(List.of(sc, smv, y), new CrossentropySoftmax1HotDx(false).apply(sc, smv, y)).call(NDArray.of(-1.5).astype(dt), sm.astype(dt), labels);
            assertClose(dx(new double[]{-1.5}, s, labels), r, tol);
        }
    }

    @Test void dxReadsStridedInputsAndRewritesReusedOutputs() {
        double[][] s = softmax(X);
        NDArray smT = NDArray.of(s).transpose().copy().transpose();
        assertFalse(smT.isContiguous());
        NDArray labels = NDArray.of(new long[]{2, 9, -1, 9, 1, 9, 0}).slice(0, 0, 7, 2);
        NDArray dy = NDArray.of(1.0, 9.0, 2.0, 9.0, -1.0, 9.0, 0.5).slice(0, 0, 7, 2);
        Variable dyv = T.dvector("dy"), smv = T.dmatrix("sm"), y = T.lvector("y");
        Function f = fn(List.of(dyv, smv, y), new CrossentropySoftmax1HotDx(true).apply(dyv, smv, y));
        assertClose(dx(new double[]{1, 2, -1, 0.5}, s, new long[]{2, -1, 1, 0}), f.call(dy, smT, labels), 1e-15);
        // a second call with fewer labels: the rows past them are zero, not left over from the first call
        assertClose(dx(new double[]{4}, s, new long[]{1}), f.call(new double[]{4}, smT, new long[]{1}), 1e-15);
        assertArrayEquals(new long[]{0, 3}, f.call(NDArray.zeros(DType.FLOAT64, 0), NDArray.zeros(DType.FLOAT64, 0, 3), NDArray.zeros(DType.INT64, 0)).shape());
    }

    @Test void dxErrors() {
        Variable dy = T.dvector("dy"), sm = T.dmatrix("sm"), y = T.lvector("y");
        NDArray s = NDArray.of(softmax(X));
        Function strict = fn(List.of(dy, sm, y), new CrossentropySoftmax1HotDx(false).apply(dy, sm, y));
        Function idx = fn(List.of(dy, sm, y), new CrossentropySoftmax1HotDx(true).apply(dy, sm, y));
        double[] d4 = {1, 1, 1, 1};
        // a label out of range: the categorical rule's error, and the indexing rule's ShapeError
        TheonException e = assertThrows(TheonException.class, () -> strict.call(d4, s, new long[]{0, 3, 0, 0}));
        assertTrue(e.getMessage().contains("label 3 in row 1"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> idx.call(d4, s, new long[]{0, 3, 0, 0}));
        assertTrue(e.getMessage().contains("label 3 in row 1"), e.getMessage());
        // rows: one label per row for the categorical rule, at most one for the indexing rule
        assertThrows(TheonException.ShapeError.class, () -> strict.call(new double[]{1, 1}, s, new long[]{0, 1}));
        assertThrows(TheonException.ShapeError.class, () -> idx.call(new double[]{1, 1, 1, 1, 1}, s, new long[]{0, 1, 0, 1, 0}));
        // an output gradient of the wrong length, or of length 1 without a static size 1
        e = assertThrows(TheonException.ShapeError.class, () -> strict.call(new double[]{1, 1, 1}, s, new long[]{0, 1, 2, 0}));
        assertTrue(e.getMessage().contains("output gradient"), e.getMessage());
        e = assertThrows(TheonException.ShapeError.class, () -> strict.call(new double[]{1}, s, new long[]{0, 1, 2, 0}));
        assertTrue(e.getMessage().contains("statically"), e.getMessage());
        // types
        assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1HotDx(false).apply(T.dmatrix("d"), sm, y));
        assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1HotDx(false).apply(dy, T.lmatrix("l"), y));
        assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1HotDx(false).apply(dy, sm, T.dvector("f")));
        assertThrows(TheonException.TypeError.class, () -> new CrossentropySoftmax1HotDx(false).apply(
                T.tensor(DType.FLOAT64, new long[]{3}, "d"), sm, T.tensor(DType.INT64, new long[]{4}, "y")));
    }

    // ---------------------------------------------------------------- crossentropy_categorical_1hot_grad

    @Test void categoricalGradValuesAndErrors() {
        double[][] p = {{0.2, 0.5, 0.3}, {0.6, 0.25, 0.15}, {0.1, 0.1, 0.8}};
        int[] labels = {1, 2, 0};
        double[] dys = {2, -1, 0.5};
        Variable dy = T.dvector("dy"), c = T.dmatrix("c"), y = T.ivector("y");
        Function f = fn(List.of(dy, c, y), new CrossentropyCategorical1HotGrad().apply(dy, c, y));
        double[] want = new double[9];
        for (int i = 0; i < 3; i++) want[i * 3 + labels[i]] = -dys[i] / p[i][labels[i]];
        assertClose(want, f.call(dys, p, labels), 1e-15);
        // a transposed coding, and a second call that must clear the first call's entries
        NDArray pT = NDArray.of(p).transpose().copy().transpose();
        assertClose(want, f.call(dys, pT, labels), 1e-15);
        double[] want2 = new double[9];
        for (int i = 0; i < 3; i++) want2[i * 3] = -dys[i] / p[i][0];
        assertClose(want2, f.call(dys, p, new int[]{0, 0, 0}), 1e-15);
        TheonException e = assertThrows(TheonException.class, () -> f.call(dys, p, new int[]{0, -1, 0}));
        assertTrue(e.getMessage().contains("label -1 in row 1"), e.getMessage());
        assertThrows(TheonException.ShapeError.class, () -> f.call(new double[]{1, 1}, p, new int[]{0, 1}));
        assertEquals(DType.FLOAT32, new CrossentropyCategorical1HotGrad().apply(T.fvector("d"), T.fmatrix("c"), y).dtype());
    }
}
