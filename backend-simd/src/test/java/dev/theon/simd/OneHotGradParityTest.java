package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.ops.CrossentropyCategorical1HotGrad;
import dev.theon.ops.CrossentropySoftmax1HotDx;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The gradients of the one-hot cross-entropies, crossentropy_softmax_1hot_dx (categorical and indexing label rules)
 * and crossentropy_categorical_1hot_grad, against float64 loops written here (softmax, one-hot, scaling by the output
 * gradient) and against the reference backend. The kernels reproduce the reference's rounding, so both comparisons
 * are bit for bit. Errors (bad labels, label counts, gradient lengths) must be the reference's, class and message.
 */
class OneHotGradParityTest {
    // small arrays take the multi-threaded paths too (in production a thread must get ~a millisecond of work)
    @BeforeAll static void splitSmallWork() { Pool.splitDivisor = 64; }
    @AfterAll static void splitOnlyLargeWork() { Pool.splitDivisor = 1; }

    /** Which op, and under which label rule. */
    enum Kind {
        DX_CATEGORICAL(DType.INT32), DX_INDEXING(DType.INT8), GRAD(DType.INT64);

        final DType labels;
        Kind(DType labels) { this.labels = labels; }
    }

    /** How the output gradient is given: one value per label, a scalar, or a vector of static size 1. */
    enum Dy { PER_ROW, SCALAR, SIZE_ONE }

    static Variable node(Kind kind, Variable dy, Variable m, Variable y) {
        return switch (kind) {
            case DX_CATEGORICAL -> new CrossentropySoftmax1HotDx(false).apply(dy, m, y);
            case DX_INDEXING -> new CrossentropySoftmax1HotDx(true).apply(dy, m, y);
            case GRAD -> new CrossentropyCategorical1HotGrad().apply(dy, m, y);
        };
    }

    static Variable dyVar(Dy dy, DType dt) {
        return switch (dy) {
            case PER_ROW -> T.tensor(dt, 1, "dy");
            case SCALAR -> T.tensor(dt, 0, "dy");
            case SIZE_ONE -> T.tensor(dt, new long[]{1}, "dy");
        };
    }

    // ------------------------------------------------------------------ float64 oracle

    /** Row-wise softmax of random logits in float64, stored in dt (the graph and the oracle read the stored values). */
    static NDArray softmaxRows(Random r, DType dt, long rows, long classes) {
        NDArray s = NDArray.zeros(dt, rows, classes);
        double[] x = new double[(int) classes];
        for (long i = 0; i < rows; i++) {
            double m = Double.NEGATIVE_INFINITY, z = 0;
            for (int j = 0; j < classes; j++) { x[j] = 12 * r.nextDouble() - 6; m = Math.max(m, x[j]); }
            for (int j = 0; j < classes; j++) z += Math.exp(x[j] - m);
            for (int j = 0; j < classes; j++) s.writeDouble(i * classes + j, Math.exp(x[j] - m) / z);
        }
        return s;
    }

    /** The expected gradient, in float64 from the stored inputs, rounded once to dt. */
    static NDArray expected(Kind kind, DType dt, NDArray dy, NDArray m, long[] labels) {
        long rows = m.shape(0), classes = m.shape(1);
        NDArray e = NDArray.zeros(dt, rows, classes);
        for (int i = 0; i < labels.length; i++) {
            double g = dy.ndim() == 0 ? dy.toDouble() : dy.getDouble(dy.shape(0) == 1 ? 0 : i);
            long label = labels[i] < 0 ? labels[i] + classes : labels[i];
            for (long j = 0; j < classes; j++) {
                double p = m.getDouble(i, j), oneHot = j == label ? 1 : 0;
                double v = kind == Kind.GRAD ? (j == label ? -g / p : 0) : g * (p - oneHot);
                e.writeDouble(i * classes + j, v);
            }
        }
        return e;   // rows past the labels stay zero
    }

    static long[] randomLabels(Random r, Kind kind, int n, long classes) {
        long[] y = new long[n];
        for (int i = 0; i < n; i++) y[i] = kind == Kind.DX_INDEXING ? r.nextLong(-classes, classes) : r.nextLong(classes);
        return y;
    }

    static NDArray dyValues(Random r, Dy dy, DType dt, int n, Lay lay) {
        if (dy == Dy.SCALAR) return NDArray.of(r.nextGaussian()).astype(dt);
        NDArray v = NDArray.zeros(dt, dy == Dy.SIZE_ONE ? 1 : n);
        for (long i = 0; i < v.size(); i++) v.writeDouble(i, r.nextGaussian());
        return Parity.relayout(v, lay);
    }

    // ------------------------------------------------------------------ values

    @Test void everyKindDtypeLayoutBatchAndClassCountAgainstFloat64LoopsAndTheReference() {
        Random r = new Random(21);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            int lanes = dt == DType.FLOAT32 ? FloatVector.SPECIES_PREFERRED.length() : DoubleVector.SPECIES_PREFERRED.length();
            long[] classCounts = {1, 3, lanes - 1, lanes, lanes + 1, 2L * lanes + 5, 100};
            for (Kind kind : Kind.values()) {
                for (Dy dyKind : Dy.values()) {
                    Variable dy = dyVar(dyKind, dt), m = T.tensor(dt, 2, "m"), y = T.tensor(kind.labels, 1, "y");
                    Variable out = node(kind, dy, m, y);
                    Function simd = Parity.simd(List.of(dy, m, y), List.of(out)), ref = Parity.reference(List.of(dy, m, y), List.of(out));
                    assertFalse(simd.describe().contains("FALLBACK"), simd.describe());
                    for (Lay lay : Lay.values()) {
                        for (int rows : new int[]{0, 1, 7, 300}) {
                            for (long classes : classCounts) {
                                // the indexing rule also labels only the first rows (here two thirds of them)
                                int n = kind == Kind.DX_INDEXING && rows % 3 == 0 ? rows * 2 / 3 : rows;
                                NDArray sm = Parity.relayout(softmaxRows(r, dt, rows, classes), lay);
                                long[] labels = randomLabels(r, kind, n, classes);
                                NDArray ys = NDArray.of(labels).astype(kind.labels), g = dyValues(r, dyKind, dt, n, lay);
                                String what = kind + " " + dt + " dy " + dyKind + " " + lay + " " + rows + "x" + classes + " with " + n + " labels";
                                NDArray got = simd.callAll(g, sm, ys).get(0);
                                Parity.close(got, expected(kind, dt, g, sm, labels), 0, what + " vs float64 loops");
                                Parity.close(got, ref.callAll(g, sm, ys).get(0), 0, what + " vs the reference");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test void aFloat64GradientOfFloat32SoftmaxRowsRoundsOnceAsTheReference() {
        // 0.1 is no float32: the product must be formed in float64 and rounded once, not from a float32 factor
        Variable dy = T.dvector("dy"), m = T.fmatrix("m"), y = T.lvector("y");
        for (boolean indexing : new boolean[]{false, true}) {
            Variable out = new CrossentropySoftmax1HotDx(indexing).apply(dy, m, y);
            NDArray sm = softmaxRows(new Random(3), DType.FLOAT32, 5, 37);
            NDArray g = NDArray.of(0.1, -1.0 / 3, 1e-3, 7.0 / 11, 1e300);
            long[] labels = {0, 36, 5, 17, indexing ? -1 : 2};
            NDArray got = Parity.simd(List.of(dy, m, y), List.of(out)).callAll(g, sm, labels).get(0);
            Parity.close(got, expected(Kind.DX_CATEGORICAL, DType.FLOAT32, g, sm, labels), 0, "float64 dy, float32 softmax, indexing " + indexing);
            Parity.close(got, Parity.reference(List.of(dy, m, y), List.of(out)).callAll(g, sm, labels).get(0), 0, "vs the reference");
        }
    }

    @Test void emptyBatchesEmptyClassesAndNoLabels() {
        for (Kind kind : Kind.values()) {
            Variable dy = T.dvector("dy"), m = T.dmatrix("m"), y = T.lvector("y");
            Function f = Parity.simd(List.of(dy, m, y), List.of(node(kind, dy, m, y)));
            NDArray none = NDArray.zeros(DType.INT64, 0), noDy = NDArray.zeros(DType.FLOAT64, 0);
            assertArrayEquals(new long[]{0, 5}, f.callAll(noDy, NDArray.zeros(DType.FLOAT64, 0, 5), none).get(0).shape(), kind.toString());
            assertArrayEquals(new long[]{0, 0}, f.callAll(noDy, NDArray.zeros(DType.FLOAT64, 0, 0), none).get(0).shape(), kind.toString());
        }
        // indexing with no labels at all: every row is unlabelled, so the gradient is zero
        Variable dy = T.fvector("dy"), m = T.fmatrix("m"), y = T.lvector("y");
        Variable dx = new CrossentropySoftmax1HotDx(true).apply(dy, m, y);
        NDArray got = Parity.simd(List.of(dy, m, y), List.of(dx)).callAll(NDArray.zeros(DType.FLOAT32, 0), softmaxRows(new Random(1), DType.FLOAT32, 4, 20), new long[0]).get(0);
        assertArrayEquals(new long[]{4, 20}, got.shape());
        for (long i = 0; i < got.size(); i++) assertEquals(0, Double.doubleToRawLongBits(got.flatDouble(i)), "flat " + i);
    }

    @Test void aReusedOutputIsOverwrittenWhereRowsLoseTheirLabels() {
        // the gradients feed a reduction, so their storage is kept for the next call: rows labelled in the first call
        // and unlabelled in the second must come back zero, and the categorical gradient's old values must go
        Variable dy = T.dvector("dy"), m = T.dmatrix("m"), y = T.lvector("y");
        for (Kind kind : Kind.values()) {
            Function f = Parity.simd(List.of(dy, m, y), List.of(T.sum(T.abs(node(kind, dy, m, y)), 1)));
            NDArray sm = softmaxRows(new Random(5), DType.FLOAT64, 6, 9);
            f.callAll(NDArray.of(1.0, 2, 3, 4, 5, 6), sm, new long[]{1, 2, 3, 4, 5, 6});
            NDArray second = kind == Kind.DX_INDEXING ? NDArray.of(-1.5, 2.5) : NDArray.of(-1.5, 2.5, 1, 1, 1, 1);
            long[] labels = kind == Kind.DX_INDEXING ? new long[]{-1, 0} : new long[]{8, 0, 1, 1, 2, 2};
            NDArray got = f.callAll(second, sm, labels).get(0);
            NDArray want = expected(kind, DType.FLOAT64, second, sm, labels);
            for (int i = 0; i < 6; i++) {
                double rowSum = 0;
                for (int j = 0; j < 9; j++) rowSum += Math.abs(want.getDouble(i, j));
                assertEquals(rowSum, got.getDouble(i), 1e-15 * (1 + rowSum), kind + " row " + i);
            }
        }
    }

    // ------------------------------------------------------------------ errors are the reference's

    static void sameError(List<Variable> in, Variable out, String what, Object... args) {
        Function simd = Parity.simd(in, List.of(out)), ref = Parity.reference(in, List.of(out));
        RuntimeException s = assertThrows(RuntimeException.class, () -> simd.callAll(args), what + " on simd");
        RuntimeException r = assertThrows(RuntimeException.class, () -> ref.callAll(args), what + " on the reference");
        assertEquals(r.getClass(), s.getClass(), what);
        assertEquals(r.getMessage(), s.getMessage(), what);
        assertEquals(r.getCause() == null ? null : r.getCause().getClass(), s.getCause() == null ? null : s.getCause().getClass(), what);
    }

    @Test void badLabelsCountsAndGradientLengthsRaiseTheReferenceErrors() {
        for (Kind kind : Kind.values()) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                Variable dy = T.tensor(dt, 1, "dy"), m = T.tensor(dt, 2, "m"), y = T.tensor(kind.labels, 1, "y");
                Variable out = node(kind, dy, m, y);
                List<Variable> in = List.of(dy, m, y);
                NDArray sm = Parity.relayout(softmaxRows(new Random(7), dt, 300, 40), Lay.TRANSPOSED);
                NDArray g = NDArray.zeros(dt, 300);
                long[][] bad = kind == Kind.DX_INDEXING ? new long[][]{{40}, {-41}, {127}} : new long[][]{{40}, {-1}};
                for (long[] b : bad) {
                    long[] labels = new long[300];
                    labels[299] = b[0];   // the last row: the kernel must not have computed the others into view
                    sameError(in, out, kind + " " + dt + " label " + b[0], g, sm, NDArray.of(labels).astype(kind.labels));
                }
                // label count: categorical needs one per row; indexing at most one per row
                int count = kind == Kind.DX_INDEXING ? 301 : 299;
                sameError(in, out, kind + " " + dt + " " + count + " labels for 300 rows", NDArray.zeros(dt, count), sm, NDArray.zeros(kind.labels, count));
                // a gradient of the wrong length, and a size-1 gradient that the type does not declare as size 1
                sameError(in, out, kind + " " + dt + " dy of 299", NDArray.zeros(dt, 299), sm, NDArray.zeros(kind.labels, 300));
                sameError(in, out, kind + " " + dt + " undeclared size-1 dy", NDArray.zeros(dt, 1), sm, NDArray.zeros(kind.labels, 300));
            }
        }
    }

    // ------------------------------------------------------------------ the graphs that make these ops

    /** d mean(nll) / dz in float64: (softmax(z) - one_hot) / n on the n labelled rows, zero below them. */
    static double[] meanNllGrad(NDArray z, long[] labels) {
        int rows = (int) z.shape(0), k = (int) z.shape(1), n = labels.length;
        double[] want = new double[rows * k];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < k; j++) m = Math.max(m, z.getDouble(i, j));
            for (int j = 0; j < k; j++) s += Math.exp(z.getDouble(i, j) - m);
            long label = labels[i] < 0 ? labels[i] + k : labels[i];
            for (int j = 0; j < k; j++) want[i * k + j] = (Math.exp(z.getDouble(i, j) - m) / s - (j == label ? 1 : 0)) / n;
        }
        return want;
    }

    static void assertGrad(double[] want, NDArray got, double tol, String what) {
        assertEquals(want.length, got.size(), what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got.flatDouble(i), tol, what + " at flat " + i);
    }

    @Test void theCrossentropyGraphsAndTheirGradientsRunWithoutFallback() {
        Random r = new Random(8);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            double tol = dt == DType.FLOAT32 ? 2e-7 : 1e-15;
            Variable z = T.tensor(dt, 2, "z"), y = T.ivector("y");
            Variable categorical = T.mean(T.categoricalCrossentropy(T.softmax(z), y));
            Variable indexing = T.mean(T.neg(T.log(T.get(T.softmax(z), T.arange(T.shape(y, 0)), y))));
            for (Variable cost : List.of(categorical, indexing)) {
                boolean picks = cost == indexing;
                Function f = Theon.function(List.of(z, y), List.of(cost, T.grad(cost, z)), Theon.options().backend("simd"));
                assertFalse(f.describe().contains("FALLBACK"), f.describe());
                assertTrue(f.describe().contains("crossentropy_softmax_1hot_dx" + (picks ? "{indexing} " : " ") + dt + " (vector"), f.describe());
                NDArray zs = Parity.random(r, dt, new long[]{67, 23}, -4, 4, Lay.TRANSPOSED);
                long[] labels = new long[picks ? 50 : 67];   // the indexing form: fewer labels than rows, some negative
                for (int i = 0; i < labels.length; i++) labels[i] = picks ? r.nextLong(-23, 23) : r.nextLong(23);
                int[] ys = new int[labels.length];
                for (int i = 0; i < ys.length; i++) ys[i] = (int) labels[i];
                assertGrad(meanNllGrad(zs, labels), f.callAll(zs, ys).get(1), tol, dt + (picks ? " indexing" : " categorical"));
            }
            Variable c = T.tensor(dt, 2, "c");
            Variable cost = T.mean(T.categoricalCrossentropy(c, y));
            Function f = Theon.function(List.of(c, y), List.of(cost, T.grad(cost, c)), Theon.options().backend("simd"));
            assertFalse(f.describe().contains("FALLBACK"), f.describe());
            assertTrue(f.describe().contains("crossentropy_categorical_1hot_grad " + dt), f.describe());
            NDArray cs = Parity.relayout(softmaxRows(r, dt, 30, 11), Lay.STRIDED);
            int[] ys = new int[30];
            for (int i = 0; i < 30; i++) ys[i] = r.nextInt(11);
            NDArray got = f.callAll(cs, ys).get(1);
            for (int i = 0; i < 30; i++)
                for (int j = 0; j < 11; j++)
                    assertEquals(j == ys[i] ? -1.0 / 30 / cs.getDouble(i, j) : 0, got.getDouble(i, j), Math.abs(tol / cs.getDouble(i, j)), dt + " categorical grad " + i + "," + j);
        }
    }
}
