package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Softmax, log-softmax, rectifiers and cross-entropies against plain float64 loops written here, independent of the
 * ops' own kernels.
 */
class NnetTest {

    // ---------------------------------------------------------------- independent references

    /** Softmax along {@code axis} of a C-order array of {@code shape}, the textbook way (inputs kept moderate). */
    private static double[] refSoftmax(double[] x, long[] shape, int axis, boolean log) {
        int n = (int) shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) inner *= (int) shape[d];
        int outer = x.length / Math.max(1, n * inner);
        double[] r = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += Math.exp(x[(o * n + k) * inner + i]);
                for (int k = 0; k < n; k++) {
                    int p = (o * n + k) * inner + i;
                    r[p] = log ? x[p] - Math.log(s) : Math.exp(x[p]) / s;
                }
            }
        }
        return r;
    }

    private static double[] random(int n, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian() * 3;
        return v;
    }

    private static void assertClose(double[] expect, double[] actual, double tol) {
        assertEquals(expect.length, actual.length, "length");
        for (int i = 0; i < expect.length; i++)
            assertEquals(expect[i], actual[i], tol * Math.max(1, Math.abs(expect[i])), "element " + i);
    }

    private static double[] flat(NDArray a) {
        double[] r = new double[(int) a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.flatDouble(i);
        return r;
    }

    private static NDArray eval1(Variable in, Variable out, Object arg) {
        return Theon.function(List.of(in), out).call(arg);
    }

    private static NDArray eval2(Variable a, Variable b, Variable out, Object x, Object y) {
        return Theon.function(List.of(a, b), out).call(x, y);
    }

    // ---------------------------------------------------------------- softmax and log-softmax

    @Test void softmaxOfVectorMatchesHandComputation() {
        Variable x = T.dvector("x");
        NDArray r = eval1(x, T.softmax(x), new double[]{1, 2, 3});
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertClose(new double[]{Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z}, r.toDoubleArray(), 1e-15);
        assertEquals(DType.FLOAT64, r.dtype());
        assertEquals(1.0, r.toDoubleArray()[0] + r.toDoubleArray()[1] + r.toDoubleArray()[2], 1e-15);
        // a constant shift does not change softmax
        assertClose(r.toDoubleArray(), eval1(x, x.softmax(), new double[]{101, 102, 103}).toDoubleArray(), 1e-14);
    }

    @Test void softmaxOfMatrixAlongEachAxis() {
        double[] v = random(12, 1);
        long[] shape = {3, 4};
        NDArray a = NDArray.fromDoubles(DType.FLOAT64, v, shape);
        Variable x = T.dmatrix("x");
        for (int axis : new int[]{0, 1, -1, -2}) {
            int ax = axis < 0 ? axis + 2 : axis;
            NDArray r = eval1(x, T.softmax(x, axis), a);
            assertArrayEquals(shape, r.shape());
            assertClose(refSoftmax(v, shape, ax, false), flat(r), 1e-14);
            assertClose(refSoftmax(v, shape, ax, true), flat(eval1(x, T.logSoftmax(x, axis), a)), 1e-14);
        }
        // default axis is the last: rows sum to 1
        double[][] rows = eval1(x, T.softmax(x), a).toDoubleMatrix();
        for (double[] row : rows) {
            double s = 0;
            for (double p : row) s += p;
            assertEquals(1.0, s, 1e-14);
        }
    }

    @Test void softmaxOfTensor3AlongEachAxis() {
        double[] v = random(24, 2);
        long[] shape = {2, 3, 4};
        NDArray a = NDArray.fromDoubles(DType.FLOAT64, v, shape);
        Variable x = T.dtensor3("x");
        for (int axis = 0; axis < 3; axis++) {
            assertClose(refSoftmax(v, shape, axis, false), flat(eval1(x, x.softmax(axis), a)), 1e-14);
            assertClose(refSoftmax(v, shape, axis, true), flat(eval1(x, x.logSoftmax(axis), a)), 1e-14);
            assertClose(refSoftmax(v, shape, axis, false), flat(eval1(x, T.softmax(x, axis - 3), a)), 1e-14);
        }
        assertClose(refSoftmax(v, shape, 2, true), flat(eval1(x, x.logSoftmax(), a)), 1e-14);
    }

    @Test void hugeInputsStayFinite() {
        Variable x = T.dvector("x");
        assertClose(new double[]{1, 0}, eval1(x, T.softmax(x), new double[]{1000, 0}).toDoubleArray(), 0);
        assertClose(new double[]{0, -1000}, eval1(x, T.logSoftmax(x), new double[]{1000, 0}).toDoubleArray(), 0);
        assertClose(new double[]{0.5, 0.5}, eval1(x, T.softmax(x), new double[]{-1000, -1000}).toDoubleArray(), 1e-15);
        double l2 = -Math.log(2);
        assertClose(new double[]{l2, l2}, eval1(x, T.logSoftmax(x), new double[]{-1000, -1000}).toDoubleArray(), 1e-15);
        // log-softmax keeps the tail that softmax underflows: log(softmax) would be -inf here
        Variable f = T.fvector("f");
        NDArray r = eval1(f, T.logSoftmax(f), new float[]{1000f, 0f, -50f});
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[]{0f, -1000f, -1050f}, r.toFloatArray(), 1e-3f);
    }

    @Test void float32StaysFloat32AndFloatXFollowsTheFunction() {
        double[] v = random(6, 3);
        float[][] a = {{(float) v[0], (float) v[1], (float) v[2]}, {(float) v[3], (float) v[4], (float) v[5]}};
        double[] exact = new double[6];
        for (int i = 0; i < 6; i++) exact[i] = (float) v[i];
        Variable x = T.fmatrix("x");
        NDArray r = eval1(x, T.softmax(x), a);
        assertEquals(DType.FLOAT32, r.dtype());
        assertClose(refSoftmax(exact, new long[]{2, 3}, 1, false), flat(r), 1e-6);
        NDArray l = eval1(x, T.logSoftmax(x, 0), a);
        assertEquals(DType.FLOAT32, l.dtype());
        assertClose(refSoftmax(exact, new long[]{2, 3}, 0, true), flat(l), 1e-6);

        Variable m = T.matrix("m");
        assertEquals(DType.FLOATX, T.softmax(m).dtype());
        NDArray r32 = Theon.function(List.of(m), T.softmax(m), Theon.options().floatX(DType.FLOAT32)).call(a);
        assertEquals(DType.FLOAT32, r32.dtype());
        assertClose(refSoftmax(exact, new long[]{2, 3}, 1, false), flat(r32), 1e-6);
        assertEquals(DType.FLOAT64, Theon.function(List.of(m), T.softmax(m), Theon.options().floatX(DType.FLOAT64)).call(a).dtype());
    }

    @Test void integerInputsArePromotedLikeExp() {
        long[] shape = {2, 3};
        double[] v = {1, 2, 3, -1, 0, 4};
        Variable i = T.imatrix("i");
        NDArray r = eval1(i, T.softmax(i), new int[][]{{1, 2, 3}, {-1, 0, 4}});
        assertEquals(DType.FLOAT64, r.dtype());
        assertClose(refSoftmax(v, shape, 1, false), flat(r), 1e-15);
        Variable l = T.lmatrix("l");
        NDArray lr = eval1(l, T.logSoftmax(l, 0), new long[][]{{1, 2, 3}, {-1, 0, 4}});
        assertEquals(DType.FLOAT64, lr.dtype());
        assertClose(refSoftmax(v, shape, 0, true), flat(lr), 1e-15);
        Variable b = T.bvector("b");
        NDArray br = eval1(b, T.softmax(b), NDArray.of((byte) 0, (byte) 1));
        assertEquals(DType.FLOAT32, br.dtype());
        assertClose(new double[]{1 / (1 + Math.E), Math.E / (1 + Math.E)}, flat(br), 1e-7);
        Variable bo = T.tensor(DType.BOOL, 1, "bo");
        NDArray bor = eval1(bo, T.softmax(bo), NDArray.of(true, false));
        assertEquals(DType.FLOAT32, bor.dtype());
        assertClose(new double[]{Math.E / (1 + Math.E), 1 / (1 + Math.E)}, flat(bor), 1e-7);
    }

    @Test void softmaxOfNonContiguousViews() {
        double[] v = random(20, 4);
        NDArray base = NDArray.fromDoubles(DType.FLOAT64, v, 4, 5);
        Variable x = T.dmatrix("x");
        // transposed view: shape (5, 4)
        NDArray t = base.transpose();
        double[] tv = new double[20];
        for (int r = 0; r < 5; r++) for (int c = 0; c < 4; c++) tv[r * 4 + c] = v[c * 5 + r];
        assertClose(refSoftmax(tv, new long[]{5, 4}, 1, false), flat(eval1(x, T.softmax(x), t)), 1e-14);
        assertClose(refSoftmax(tv, new long[]{5, 4}, 0, true), flat(eval1(x, T.logSoftmax(x, 0), t)), 1e-14);
        // every other column, reversed rows: shape (4, 3)
        NDArray s = base.slice(1, 0, 5, 2).slice(0, Long.MIN_VALUE, Long.MAX_VALUE, -1);
        double[] sv = new double[12];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 3; c++) sv[r * 3 + c] = v[(3 - r) * 5 + 2 * c];
        assertClose(refSoftmax(sv, new long[]{4, 3}, 1, false), flat(eval1(x, T.softmax(x), s)), 1e-14);
        assertClose(refSoftmax(sv, new long[]{4, 3}, 0, false), flat(eval1(x, T.softmax(x, 0), s)), 1e-14);
    }

    @Test void softmaxOfEmptyArrays() {
        Variable x = T.dmatrix("x");
        NDArray noRows = eval1(x, T.softmax(x), NDArray.zeros(DType.FLOAT64, 0, 3));
        assertArrayEquals(new long[]{0, 3}, noRows.shape());
        NDArray noCols = eval1(x, T.logSoftmax(x), NDArray.zeros(DType.FLOAT64, 3, 0));
        assertArrayEquals(new long[]{3, 0}, noCols.shape());
        assertArrayEquals(new long[]{0, 3}, eval1(x, T.softmax(x, 0), NDArray.zeros(DType.FLOAT64, 0, 3)).shape());
    }

    @Test void softmaxTypeErrors() {
        var e = assertThrows(TheonException.TypeError.class, () -> T.softmax(T.dscalar("s")));
        assertTrue(e.getMessage().contains("rank >= 1"), e.getMessage());
        assertTrue(e.getMessage().contains("'s'"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.softmax(T.dmatrix("m"), 2));
        assertTrue(e.getMessage().contains("axis 2 is out of range") && e.getMessage().contains("[-2, 1]"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.logSoftmax(T.dmatrix("m"), -3));
        assertTrue(e.getMessage().startsWith("log_softmax") && e.getMessage().contains("axis -3 is out of range"), e.getMessage());
    }

    @Test void softmaxOpsHaveValueEqualityAndNames() {
        Variable x = T.dmatrix("x");
        assertEquals(T.softmax(x).owner().op(), T.softmax(x, 1).owner().op());
        assertNotEquals(T.softmax(x, 0).owner().op(), T.softmax(x, 1).owner().op());
        assertEquals("softmax{axis=1}", T.softmax(x, -1).owner().op().name());
        assertEquals("log_softmax{axis=0}", T.logSoftmax(x, -2).owner().op().name());
    }

    // ---------------------------------------------------------------- rectifiers

    @Test void reluAndLeakyRelu() {
        Variable x = T.dvector("x");
        double[] in = {-2, -0.5, 0, 0.5, 3};
        assertClose(new double[]{0, 0, 0, 0.5, 3}, eval1(x, T.relu(x), in).toDoubleArray(), 0);
        assertClose(new double[]{-0.2, -0.05, 0, 0.5, 3}, eval1(x, x.relu(0.1), in).toDoubleArray(), 1e-16);
        // alpha above 1 still means alpha * x for negative x
        assertClose(new double[]{-4, -1, 0, 0.5, 3}, eval1(x, T.relu(x, 2.0), in).toDoubleArray(), 0);
        assertTrue(Double.isNaN(eval1(x, x.relu(), new double[]{Double.NaN}).toDoubleArray()[0]));

        Variable i = T.ivector("i");
        NDArray ri = eval1(i, i.relu(), new int[]{-3, 0, 7});
        assertEquals(DType.INT32, ri.dtype());
        assertArrayEquals(new int[]{0, 0, 7}, ri.toIntArray());

        Variable f = T.fmatrix("f");
        NDArray rf = eval1(f, T.relu(f, 0.5), new float[][]{{-1f, 2f}, {3f, -4f}});
        assertEquals(DType.FLOAT32, rf.dtype());
        assertArrayEquals(new float[][]{{-0.5f, 2f}, {3f, -2f}}, rf.toFloatMatrix());
    }

    @Test void eluValues() {
        Variable x = T.dvector("x");
        double[] in = {-3, -1e-10, 0, 2};
        double[] expect = new double[in.length];
        for (int k = 0; k < in.length; k++) expect[k] = in[k] > 0 ? in[k] : 1.5 * (Math.exp(in[k]) - 1);
        assertClose(expect, eval1(x, x.elu(1.5), in).toDoubleArray(), 1e-15);
        // near 0 the result keeps full precision (Taylor: x + x^2/2), which exp(x) - 1 would lose
        assertEquals(-1e-10 + 0.5e-20, eval1(x, T.elu(x), new double[]{-1e-10}).toDoubleArray()[0], 1e-25);
    }

    // ---------------------------------------------------------------- categorical cross-entropy

    private static final double[][] CODING = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.25, 0.25, 0.5}, {0.6, 0.3, 0.1}};

    @Test void categoricalWithIntegerLabels() {
        Variable c = T.dmatrix("c");
        double[] expect = {-Math.log(0.7), -Math.log(0.1), -Math.log(0.5), -Math.log(0.3)};
        Variable i32 = T.ivector("y");
        NDArray r = eval2(c, i32, T.categoricalCrossentropy(c, i32), CODING, new int[]{0, 2, 2, 1});
        assertEquals(DType.FLOAT64, r.dtype());
        assertClose(expect, r.toDoubleArray(), 1e-15);
        Variable i64 = T.lvector("y");
        assertClose(expect, eval2(c, i64, T.categoricalCrossentropy(c, i64), CODING, new long[]{0, 2, 2, 1}).toDoubleArray(), 1e-15);
        Variable i8 = T.bvector("y");
        assertClose(expect, eval2(c, i8, T.categoricalCrossentropy(c, i8), CODING, NDArray.of((byte) 0, (byte) 2, (byte) 2, (byte) 1)).toDoubleArray(), 1e-15);
        // labels given as a constant array
        assertClose(expect, eval1(c, T.categoricalCrossentropy(c, new int[]{0, 2, 2, 1}), CODING).toDoubleArray(), 1e-15);
    }

    @Test void categoricalWithOneHotAndProbabilityTargets() {
        Variable c = T.dmatrix("c"), t = T.dmatrix("t");
        double[][] oneHot = {{1, 0, 0}, {0, 0, 1}, {0, 0, 1}, {0, 1, 0}};
        double[] expect = {-Math.log(0.7), -Math.log(0.1), -Math.log(0.5), -Math.log(0.3)};
        assertClose(expect, eval2(c, t, T.categoricalCrossentropy(c, t), CODING, oneHot).toDoubleArray(), 1e-15);
        double[][] soft = {{0.5, 0.5, 0}, {0.2, 0.3, 0.5}, {1, 0, 0}, {0.1, 0.1, 0.8}};
        double[] sexpect = new double[4];
        for (int r = 0; r < 4; r++) for (int k = 0; k < 3; k++) sexpect[r] -= soft[r][k] * Math.log(CODING[r][k]);
        assertClose(sexpect, eval2(c, t, T.categoricalCrossentropy(c, t), CODING, soft).toDoubleArray(), 1e-15);
        // an integer one-hot matrix is cast to the coding's dtype
        Variable it = T.imatrix("it");
        NDArray ri = eval2(c, it, T.categoricalCrossentropy(c, it), CODING, new int[][]{{1, 0, 0}, {0, 0, 1}, {0, 0, 1}, {0, 1, 0}});
        assertEquals(DType.FLOAT64, ri.dtype());
        assertClose(expect, ri.toDoubleArray(), 1e-15);
    }

    @Test void categoricalFloat32StaysFloat32() {
        Variable c = T.fmatrix("c"), y = T.ivector("y"), t = T.imatrix("t");
        float[][] coding = new float[4][3];
        for (int r = 0; r < 4; r++) for (int k = 0; k < 3; k++) coding[r][k] = (float) CODING[r][k];
        double[] expect = {-Math.log(coding[0][0]), -Math.log(coding[1][2]), -Math.log(coding[2][2]), -Math.log(coding[3][1])};
        NDArray r = eval2(c, y, T.categoricalCrossentropy(c, y), coding, new int[]{0, 2, 2, 1});
        assertEquals(DType.FLOAT32, r.dtype());
        assertClose(expect, flat(r), 1e-6);
        NDArray r2 = eval2(c, t, T.categoricalCrossentropy(c, t), coding, new int[][]{{1, 0, 0}, {0, 0, 1}, {0, 0, 1}, {0, 1, 0}});
        assertEquals(DType.FLOAT32, r2.dtype());
        assertClose(expect, flat(r2), 1e-6);
    }

    @Test void categoricalWithNonContiguousInputs() {
        // coding given as the transpose of its (3, 4) transpose; labels as every other entry of a longer vector
        NDArray codingT = NDArray.of(CODING).transpose().copy().transpose();
        assertFalse(codingT.isContiguous());
        NDArray labels = NDArray.of(new long[]{0, 9, 2, 9, 2, 9, 1}).slice(0, 0, 7, 2);
        Variable c = T.dmatrix("c"), y = T.lvector("y");
        double[] expect = {-Math.log(0.7), -Math.log(0.1), -Math.log(0.5), -Math.log(0.3)};
        assertClose(expect, eval2(c, y, T.categoricalCrossentropy(c, y), codingT, labels).toDoubleArray(), 1e-15);
        // one-hot target as a reversed-row view
        NDArray oneHot = NDArray.of(new double[][]{{0, 1, 0}, {0, 0, 1}, {0, 0, 1}, {1, 0, 0}}).slice(0, Long.MIN_VALUE, Long.MAX_VALUE, -1);
        Variable t = T.dmatrix("t");
        assertClose(expect, eval2(c, t, T.categoricalCrossentropy(c, t), codingT, oneHot).toDoubleArray(), 1e-15);
    }

    @Test void categoricalOfEmptyBatch() {
        Variable c = T.dmatrix("c"), y = T.ivector("y"), t = T.dmatrix("t");
        NDArray r = eval2(c, y, T.categoricalCrossentropy(c, y), NDArray.zeros(DType.FLOAT64, 0, 3), NDArray.zeros(DType.INT32, 0));
        assertArrayEquals(new long[]{0}, r.shape());
        NDArray r2 = eval2(c, t, T.categoricalCrossentropy(c, t), NDArray.zeros(DType.FLOAT64, 0, 3), NDArray.zeros(DType.FLOAT64, 0, 3));
        assertArrayEquals(new long[]{0}, r2.shape());
    }

    @Test void categoricalLabelOutOfRange() {
        Variable c = T.dmatrix("c"), y = T.ivector("y");
        var f = Theon.function(List.of(c, y), T.categoricalCrossentropy(c, y));
        var e = assertThrows(TheonException.class, () -> f.call(CODING, new int[]{0, 1, 3, 0}));
        assertTrue(e.getMessage().contains("label 3 in row 2") && e.getMessage().contains("3 classes"), e.getMessage());
        e = assertThrows(TheonException.class, () -> f.call(CODING, new int[]{0, -1, 0, 0}));
        assertTrue(e.getMessage().contains("label -1 in row 1"), e.getMessage());
        // a row count that does not match the labels
        e = assertThrows(TheonException.ShapeError.class, () -> f.call(CODING, new int[]{0, 1}));
        assertTrue(e.getMessage().contains("4 rows") && e.getMessage().contains("2 entries"), e.getMessage());
    }

    @Test void categoricalTypeErrors() {
        Variable y = T.ivector("y");
        var e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(T.dtensor3("c3"), y));
        assertTrue(e.getMessage().startsWith("categorical_crossentropy") && e.getMessage().contains("float matrix")
                && e.getMessage().contains("tensor3") && e.getMessage().contains("'c3'"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(T.dmatrix("c"), T.dvector("fy")));
        assertTrue(e.getMessage().contains("labels must be an integer vector") && e.getMessage().contains("float64")
                && e.getMessage().contains("T.cast"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(T.imatrix("ic"), y));
        assertTrue(e.getMessage().contains("coding must be a float matrix") && e.getMessage().contains("int32"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(T.dmatrix("c"), T.dtensor3("t3")));
        assertTrue(e.getMessage().contains("target must be an integer vector of class labels or a matrix"), e.getMessage());
        Variable c3 = T.tensor(DType.FLOAT64, new long[]{-1, 3}, "c");
        e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(c3, T.tensor(DType.FLOAT64, new long[]{-1, 4}, "t")));
        assertTrue(e.getMessage().contains("(?, 4) does not match coding of shape (?, 3)"), e.getMessage());
        e = assertThrows(TheonException.TypeError.class, () -> T.categoricalCrossentropy(
                T.tensor(DType.FLOAT64, new long[]{5, 3}, "c"), T.tensor(DType.INT64, new long[]{4}, "y")));
        assertTrue(e.getMessage().contains("5 rows but labels has 4 entries"), e.getMessage());
    }

    // ---------------------------------------------------------------- binary cross-entropy

    private static double bce(double o, double t) { return -(t * Math.log(o) + (1 - t) * Math.log(1 - o)); }

    @Test void binaryCrossentropyValues() {
        Variable o = T.dvector("o"), t = T.dvector("t");
        double[] out = {0.1, 0.5, 0.9, 0.99, 0.3}, tgt = {0, 1, 1, 0, 0.25};
        double[] expect = new double[5];
        for (int k = 0; k < 5; k++) expect[k] = bce(out[k], tgt[k]);
        assertClose(expect, eval2(o, t, T.binaryCrossentropy(o, t), out, tgt).toDoubleArray(), 1e-14);
        // integer targets are cast to the output's dtype; float32 stays float32
        Variable f = T.fvector("f"), it = T.ivector("it");
        float[] fo = {0.1f, 0.5f, 0.9f, 0.99f};
        NDArray r = eval2(f, it, T.binaryCrossentropy(f, it), fo, new int[]{0, 1, 1, 0});
        assertEquals(DType.FLOAT32, r.dtype());
        assertClose(new double[]{bce(fo[0], 0), bce(fo[1], 1), bce(fo[2], 1), bce(fo[3], 0)}, flat(r), 1e-5);
    }

    @Test void binaryCrossentropyBroadcastsAndTakesViews() {
        Variable o = T.dmatrix("o"), t = T.tensor(DType.FLOAT64, new long[]{1, -1}, "t");
        double[][] out = {{0.2, 0.7, 0.4}, {0.9, 0.05, 0.6}};
        double[] tgt = {1, 0, 0.5};
        NDArray outT = NDArray.of(new double[][]{{0.2, 0.9}, {0.7, 0.05}, {0.4, 0.6}}).transpose();
        NDArray r = eval2(o, t, T.binaryCrossentropy(o, t), outT, new double[][]{tgt});
        assertArrayEquals(new long[]{2, 3}, r.shape());
        double[] expect = new double[6];
        for (int i = 0; i < 2; i++) for (int k = 0; k < 3; k++) expect[i * 3 + k] = bce(out[i][k], tgt[k]);
        assertClose(expect, flat(r), 1e-14);
        // empty batch
        assertArrayEquals(new long[]{0, 3}, eval2(o, t, T.binaryCrossentropy(o, t), NDArray.zeros(DType.FLOAT64, 0, 3), new double[][]{tgt}).shape());
    }

    @Test void binaryCrossentropyTypeError() {
        var e = assertThrows(TheonException.TypeError.class, () -> T.binaryCrossentropy(
                T.tensor(DType.FLOAT64, new long[]{2, 3}, "o"), T.tensor(DType.FLOAT64, new long[]{4}, "t")));
        assertTrue(e.getMessage().startsWith("binary_crossentropy") && e.getMessage().contains("(2, 3) and (4,)"), e.getMessage());
    }

    @Test void sigmoidBinaryCrossentropyIsStable() {
        Variable x = T.dvector("x"), t = T.dvector("t");
        double[] logits = {-3, -0.5, 0, 0.5, 3}, tgt = {0, 1, 0.5, 0, 1};
        double[] expect = new double[5];
        for (int k = 0; k < 5; k++) expect[k] = bce(1 / (1 + Math.exp(-logits[k])), tgt[k]);
        assertClose(expect, eval2(x, t, T.sigmoidBinaryCrossentropy(x, t), logits, tgt).toDoubleArray(), 1e-14);
        // saturated logits: log(1 + exp(-|x|)) is tiny, the rest exact; nothing overflows
        double[] big = eval2(x, t, T.sigmoidBinaryCrossentropy(x, t), new double[]{100, 100, -100, -100}, new double[]{1, 0, 1, 0}).toDoubleArray();
        double tail = Math.exp(-100);
        assertClose(new double[]{tail, 100, 100, tail}, big, 1e-12);
        for (double b : big) assertTrue(Double.isFinite(b));
        Variable f = T.fvector("f"), it = T.ivector("it");
        assertEquals(DType.FLOAT32, eval2(f, it, T.sigmoidBinaryCrossentropy(f, it), new float[]{1f}, new int[]{1}).dtype());
    }
}
