package dev.theon.ops;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** dot, matmul, outer and tensordot against plain float64 (or long) loops written out in the tests. */
class BlasTest {

    private static final double TOL = 1e-12;
    private final Random rnd = new Random(42);

    // ---------------------------------------------------------------- data

    private double[] vec(int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = Math.round(rnd.nextGaussian() * 100) / 10.0;
        return r;
    }

    private double[][] mat(int n, int m) {
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) r[i] = vec(m);
        return r;
    }

    private double[][][] t3(int n, int m, int p) {
        double[][][] r = new double[n][][];
        for (int i = 0; i < n; i++) r[i] = mat(m, p);
        return r;
    }

    private static NDArray eval(Variable out, Variable a, Object av, Variable b, Object bv) {
        return Theon.function(List.of(a, b), out).call(av, bv);
    }

    private static void assertClose(double[] expect, NDArray got) {
        double[] g = got.toDoubleArray();
        assertEquals(expect.length, g.length, "element count");
        for (int i = 0; i < g.length; i++) assertEquals(expect[i], g[i], TOL * Math.max(1, Math.abs(expect[i])), "element " + i);
    }

    private static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static double[] flat(double[][][] t) {
        return java.util.Arrays.stream(t).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    // ---------------------------------------------------------------- dot, every rank pairing

    @Test void vectorDotVector() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        double[] x = vec(5), y = vec(5);
        double s = 0;
        for (int i = 0; i < 5; i++) s += x[i] * y[i];
        NDArray r = eval(T.dot(a, b), a, x, b, y);
        assertEquals(0, r.ndim());
        assertEquals(s, r.toDouble(), TOL);
    }

    @Test void matrixDotVectorAndVectorDotMatrix() {
        Variable m = T.dmatrix("m"), v = T.dvector("v");
        double[][] x = mat(3, 4);
        double[] y = vec(4), z = vec(3);
        double[] mv = new double[3], vm = new double[4];
        for (int i = 0; i < 3; i++) for (int k = 0; k < 4; k++) mv[i] += x[i][k] * y[k];
        for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++) vm[j] += z[k] * x[k][j];
        NDArray r1 = eval(T.dot(m, v), m, x, v, y);
        assertArrayEquals(new long[]{3}, r1.shape());
        assertClose(mv, r1);
        NDArray r2 = eval(T.dot(v, m), m, x, v, z);
        assertArrayEquals(new long[]{4}, r2.shape());
        assertClose(vm, r2);
    }

    @Test void matrixDotMatrix() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        double[][] x = mat(3, 4), y = mat(4, 2);
        double[][] e = new double[3][2];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 4; k++) e[i][j] += x[i][k] * y[k][j];
        NDArray r = eval(a.dot(b), a, x, b, y);
        assertArrayEquals(new long[]{3, 2}, r.shape());
        assertClose(flat(e), r);
    }

    @Test void tensor3DotMatrixSumsLastAxisAgainstFirst() {
        Variable a = T.dtensor3("a"), b = T.dmatrix("b");
        double[][][] x = t3(2, 3, 4);
        double[][] y = mat(4, 5);
        double[][][] e = new double[2][3][5];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int l = 0; l < 5; l++)
            for (int k = 0; k < 4; k++) e[i][j][l] += x[i][j][k] * y[k][l];
        NDArray r = eval(T.dot(a, b), a, x, b, y);
        assertArrayEquals(new long[]{2, 3, 5}, r.shape());
        assertClose(flat(e), r);
    }

    @Test void matrixDotTensor3SumsAgainstSecondToLastAxis() {
        Variable a = T.dmatrix("a"), b = T.dtensor3("b");
        double[][] x = mat(2, 4);
        double[][][] y = t3(3, 4, 5);
        double[][][] e = new double[2][3][5];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int l = 0; l < 5; l++)
            for (int k = 0; k < 4; k++) e[i][j][l] += x[i][k] * y[j][k][l];
        NDArray r = eval(T.dot(a, b), a, x, b, y);
        assertArrayEquals(new long[]{2, 3, 5}, r.shape());
        assertClose(flat(e), r);
    }

    @Test void tensor3DotTensor3() {
        Variable a = T.dtensor3("a"), b = T.dtensor3("b");
        double[][][] x = t3(2, 3, 4), y = t3(2, 4, 3);
        double[] e = new double[2 * 3 * 2 * 3];
        int q = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int p = 0; p < 2; p++) for (int l = 0; l < 3; l++) {
            for (int k = 0; k < 4; k++) e[q] += x[i][j][k] * y[p][k][l];
            q++;
        }
        NDArray r = eval(T.dot(a, b), a, x, b, y);
        assertArrayEquals(new long[]{2, 3, 2, 3}, r.shape());
        assertClose(e, r);
    }

    @Test void tensor3WithVectorOnEitherSide() {
        Variable t = T.dtensor3("t"), v = T.dvector("v");
        double[][][] x = t3(2, 3, 4);
        double[] y = vec(4), z = vec(3);
        double[][] tv = new double[2][3], vt = new double[2][4];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) tv[i][j] += x[i][j][k] * y[k];
        for (int i = 0; i < 2; i++) for (int l = 0; l < 4; l++) for (int k = 0; k < 3; k++) vt[i][l] += z[k] * x[i][k][l];
        assertClose(flat(tv), eval(T.dot(t, v), t, x, v, y));
        NDArray r = eval(T.dot(v, t), t, x, v, z);
        assertArrayEquals(new long[]{2, 4}, r.shape());
        assertClose(flat(vt), r);
    }

    @Test void scalarOperandMultipliesElementwise() {
        Variable s = T.dscalar("s"), m = T.dmatrix("m");
        double[][] x = mat(2, 3);
        double[][] e = new double[2][3];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) e[i][j] = 2.5 * x[i][j];
        assertClose(flat(e), eval(T.dot(s, m), s, 2.5, m, x));
        assertClose(flat(e), eval(T.dot(m, s), s, 2.5, m, x));
        Variable t = T.dscalar("t");
        NDArray r = eval(T.dot(s, t), s, 3.0, t, -4.0);
        assertEquals(0, r.ndim());
        assertEquals(-12.0, r.toDouble());
        // a Java number is a scalar operand too
        assertClose(flat(e), Theon.function(List.of(m), T.dot(m, 2.5)).call((Object) x));
    }

    // ---------------------------------------------------------------- dtypes

    @Test void int64IsExactBeyondDoublePrecision() {
        Variable a = T.lvector("a"), b = T.lvector("b");
        long big = 3037000499L;  // big * big is just below 2^63, far beyond 2^53
        NDArray r = eval(T.dot(a, b), a, new long[]{big, 1, -7}, b, new long[]{big, 1, 1});
        assertEquals(DType.INT64, r.dtype());
        assertEquals(big * big + 1 - 7, r.toLong());
        Variable m = T.lmatrix("m");
        long[][] x = {{big, 2}, {1, big}};
        NDArray mm = eval(T.dot(m, a), m, x, a, new long[]{big, 3});
        assertArrayEquals(new long[]{big * big + 6, big + 3 * big}, mm.toLongArray());
    }

    @Test void narrowIntegersWrapAsNumPyDoes() {
        Variable a = T.bvector("a"), b = T.bvector("b");
        NDArray r = eval(T.dot(a, b), a, new byte[]{100, 100}, b, new byte[]{2, 1});
        assertEquals(DType.INT8, r.dtype());
        assertEquals((byte) 300, r.toLong());
        Variable w = T.wvector("w");
        NDArray mixed = eval(T.dot(a, w), a, new byte[]{3, 4}, w, new short[]{1000, 10});
        assertEquals(DType.INT16, mixed.dtype());
        assertEquals(3040, mixed.toLong());
    }

    @Test void boolDotIsLogical() {
        Variable a = T.tensor(DType.BOOL, 1, "a"), b = T.tensor(DType.BOOL, 1, "b");
        NDArray r = eval(T.dot(a, b), a, new boolean[]{true, false}, b, new boolean[]{true, true});
        assertEquals(DType.BOOL, r.dtype());
        assertTrue(r.toBoolean());
        assertFalse(eval(T.dot(a, b), a, new boolean[]{false, true}, b, new boolean[]{true, false}).toBoolean());
    }

    /**
     * How float32 products are summed is each backend's documented promise. The reference accumulates in float64 and
     * rounds once: its result is exactly the float64 sum (taken in index order, as it sums) rounded to float32. Other
     * backends (the simd GEMM, like BLAS) accumulate in float32: their result must lie within the float32 summation
     * bound of the exact value, |r - s| <= gamma_k * sum |a_i b_i| with gamma_k = k u / (1 - k u), u = 2^-24, which
     * holds whatever the order of the k additions. The random case keeps every |a_i b_i| >= 1/4, far above that
     * bound, so a dropped, doubled or misplaced product fails on every backend.
     */
    @Test void float32ProductsAccumulateAsTheBackendPromises() {
        Variable a = T.fvector("a"), b = T.fvector("b");
        // summed in float32 step by step this is (1e8 + 1) - 1e8 = 0; in double it is exactly 1
        var vv = Theon.function(List.of(a, b), T.dot(a, b));
        NDArray r = vv.call(new float[]{1e8f, 1f, -1e8f}, new float[]{1f, 1f, 1f});
        assertEquals(DType.FLOAT32, r.dtype());
        assertFloat32Sum(vv.backend(), new float[]{1e8f, 1f, -1e8f}, new float[]{1f, 1f, 1f}, r.toDouble(), "dot of a cancelling vector");
        Variable m = T.fmatrix("m"), n = T.fmatrix("n");
        float[][] x = {{0.1f, 0.2f}, {0.3f, 0.4f}};
        float[] y = {0.7f, 0.9f};
        var mvf = Theon.function(List.of(m, a), T.dot(m, a));
        NDArray mv = mvf.call(x, y);
        for (int i = 0; i < 2; i++) assertFloat32Sum(mvf.backend(), x[i], y, mv.toFloatArray()[i], "matrix-vector row " + i);

        int rows = 7, k = 300, cols = 5;
        float[][] p = new float[rows][k], q = new float[k][cols];
        for (float[] row : p) for (int c = 0; c < k; c++) row[c] = factor();
        for (float[] row : q) for (int c = 0; c < cols; c++) row[c] = factor();
        float[] col0 = new float[k];
        for (int c = 0; c < k; c++) col0[c] = q[c][0];
        NDArray gemv = mvf.call(p, col0);
        var mmf = Theon.function(List.of(m, n), T.dot(m, n));
        NDArray gemm = mmf.call(p, q);
        assertArrayEquals(new long[]{rows, cols}, gemm.shape());
        for (int i = 0; i < rows; i++) {
            assertFloat32Sum(mvf.backend(), p[i], col0, gemv.toFloatArray()[i], "matrix-vector, k = " + k + ", row " + i);
            for (int j = 0; j < cols; j++) {
                float[] qj = new float[k];
                for (int c = 0; c < k; c++) qj[c] = q[c][j];
                assertFloat32Sum(mmf.backend(), p[i], qj, gemm.getDouble(i, j), "matrix-matrix, k = " + k + ", element " + i + "," + j);
            }
        }
    }

    /** A float32 in [0.5, 1) with a random sign and a full 24-bit significand. */
    private float factor() {
        float f = 0.5f + 0.5f * rnd.nextFloat();
        return rnd.nextBoolean() ? f : -f;
    }

    /** {@code got} is sum_i x_i y_i as the backend promises: rounded once from float64 (reference), else within the float32 bound. */
    private static void assertFloat32Sum(String backend, float[] x, float[] y, double got, String what) {
        double s = 0, abs = 0;
        for (int i = 0; i < x.length; i++) { s += (double) x[i] * y[i]; abs += Math.abs((double) x[i] * y[i]); }
        if (backend.equals("reference")) {
            assertEquals((float) s, (float) got, what + ": the reference sums in float64 and rounds once");
            return;
        }
        double u = 0x1p-24, gamma = x.length * u / (1 - x.length * u);
        assertEquals(s, got, gamma * abs, what + " on " + backend + ": within the float32 accumulation bound gamma_k * sum|a b|");
    }

    @Test void outputDtypeFollowsNumPyPromotion() {
        assertEquals(DType.FLOAT64, T.dot(T.ivector("i"), T.fvector("f")).dtype());
        assertEquals(DType.FLOAT32, T.dot(T.wvector("w"), T.fvector("f")).dtype());
        assertEquals(DType.INT64, T.dot(T.ivector("i"), T.lmatrix("l")).dtype());
        Variable i = T.ivector("i"), f = T.dvector("f");
        NDArray r = eval(T.dot(i, f), i, new int[]{1, 2}, f, new double[]{0.5, 0.25});
        assertEquals(DType.FLOAT64, r.dtype());
        assertEquals(1.0, r.toDouble());
    }

    @Test void floatXGraphBindsToTheFunctionsPrecision() {
        Variable a = T.matrix("a"), b = T.matrix("b");
        Variable c = T.dot(a, b);
        assertEquals(DType.FLOATX, c.dtype());
        var f32 = Theon.function(List.of(a, b), c, Theon.options().floatX(DType.FLOAT32));
        NDArray r = f32.call(new float[][]{{1, 2}}, new float[][]{{3}, {4}});
        assertEquals(DType.FLOAT32, r.dtype());
        assertEquals(11.0, r.toDouble());
        var f64 = Theon.function(List.of(a, b), c, Theon.options().floatX(DType.FLOAT64));
        assertEquals(DType.FLOAT64, f64.call(new double[][]{{1, 2}}, new double[][]{{3}, {4}}).dtype());
    }

    // ---------------------------------------------------------------- layouts and empty arrays

    @Test void nonContiguousInputs() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        double[][] x = mat(4, 3), y = mat(5, 4);
        // a is x transposed (3, 4); b is every other row of y (3 of 5 rows), transposed to (4, 3)
        NDArray at = NDArray.of(x).transpose();
        NDArray bs = NDArray.of(y).slice(0, 0, 5, 2).transpose();
        double[][] e = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) e[i][j] += x[k][i] * y[2 * j][k];
        assertClose(flat(e), eval(T.dot(a, b), a, at, b, bs));
        Variable v = T.dvector("v");
        NDArray col = NDArray.of(x).index(1, 2);  // column 2 of x: a strided vector of 4
        double[] ev = new double[3];
        for (int i = 0; i < 3; i++) for (int k = 0; k < 4; k++) ev[i] += x[k][i] * x[k][2];
        assertClose(ev, eval(T.dot(a, v), a, at, v, col));
    }

    @Test void emptyAxes() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        NDArray r = eval(T.dot(a, b), a, NDArray.zeros(DType.FLOAT64, 0, 3), b, NDArray.of(mat(3, 2)));
        assertArrayEquals(new long[]{0, 2}, r.shape());
        // nothing to sum: every element is zero, even when the array is reused from an earlier call
        var f = Theon.function(List.of(a, b), T.dot(a, b));
        f.call(NDArray.of(mat(2, 1)), NDArray.of(mat(1, 3)));
        NDArray z = f.call(NDArray.zeros(DType.FLOAT64, 2, 0), NDArray.zeros(DType.FLOAT64, 0, 3));
        assertArrayEquals(new long[]{2, 3}, z.shape());
        assertArrayEquals(new double[6], z.toDoubleArray());
        Variable u = T.lvector("u"), v = T.lvector("v");
        assertEquals(0, eval(T.dot(u, v), u, new long[0], v, new long[0]).toLong());
    }

    @Test void reusedOutputIsFullyOverwritten() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        var f = Theon.function(List.of(a, b), T.add(T.dot(a, b), 0.0));
        f.call(new double[][]{{5, 5}, {5, 5}}, new double[][]{{5, 5}, {5, 5}});
        NDArray r = f.call(new double[][]{{1, 0}, {0, 1}}, new double[][]{{1, 2}, {3, 4}});
        assertArrayEquals(new double[]{1, 2, 3, 4}, r.toDoubleArray());
    }

    // ---------------------------------------------------------------- dot errors

    @Test void misalignedStaticShapesFailWhenTheGraphIsBuilt() {
        Variable a = T.tensor(DType.FLOAT64, new long[]{2, 3}, "a"), b = T.tensor(DType.FLOAT64, new long[]{4, 5}, "b");
        var e = assertThrows(TheonException.TypeError.class, () -> T.dot(a, b));
        assertTrue(e.getMessage().contains("dot"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
        Variable v = T.tensor(DType.FLOAT64, new long[]{4}, "v");
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.dot(a, v));
        assertTrue(e2.getMessage().contains("(4,)") && e2.getMessage().contains("vector"), e2.getMessage());
        // an unknown size on either side defers the check to run time
        assertDoesNotThrow(() -> T.dot(a, T.tensor(DType.FLOAT64, new long[]{-1, 5}, "c")));
    }

    @Test void misalignedRuntimeShapesFailWhenRun() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        var e = assertThrows(TheonException.ShapeError.class, () -> eval(T.dot(a, b), a, mat(2, 3), b, mat(4, 5)));
        assertTrue(e.getMessage().contains("dot: shapes (2, 3) and (4, 5) not aligned: 3 (dim 1) != 4 (dim 0)"), e.getMessage());
        Variable t = T.dtensor3("t");
        var e2 = assertThrows(TheonException.ShapeError.class, () -> eval(T.dot(a, t), a, mat(2, 3), t, t3(2, 4, 2)));
        assertTrue(e2.getMessage().contains("3 (dim 1) != 4 (dim 1)"), e2.getMessage());
    }

    @Test void staticShapeOfTheResult() {
        Variable a = T.tensor(DType.FLOAT64, new long[]{2, -1, 3}, "a"), b = T.tensor(DType.FLOAT64, new long[]{4, 3, 5}, "b");
        assertArrayEquals(new long[]{2, -1, 4, 5}, T.dot(a, b).type().shape());
        assertArrayEquals(new long[]{2, -1}, T.dot(a, T.dvector("v")).type().shape());
        assertEquals("dot(a, b)", Theon.pp(T.dot(a, b)));
    }

    // ---------------------------------------------------------------- matmul

    @Test void matmulBroadcastsBatchAxes() {
        Variable a = T.tensor(DType.FLOAT64, new long[]{-1, 1, -1, -1}, "a"), b = T.dtensor3("b");
        double[][][][] x = new double[2][1][][];
        for (int i = 0; i < 2; i++) x[i][0] = mat(3, 4);
        double[][][] y = t3(5, 4, 2);
        Variable c = T.matmul(a, b);
        assertArrayEquals(new long[]{-1, -1, -1, -1}, c.type().shape());
        NDArray r = eval(c, a, x, b, y);
        assertArrayEquals(new long[]{2, 5, 3, 2}, r.shape());
        double[] e = new double[2 * 5 * 3 * 2];
        int q = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 5; j++) for (int n = 0; n < 3; n++) for (int p = 0; p < 2; p++) {
            for (int k = 0; k < 4; k++) e[q] += x[i][0][n][k] * y[j][k][p];
            q++;
        }
        assertClose(e, r);
    }

    @Test void matmulStaticShape() {
        Variable a = T.tensor(DType.FLOAT32, new long[]{2, 1, 3, 4}, "a"), b = T.tensor(DType.FLOAT32, new long[]{5, 4, 2}, "b");
        Variable c = a.matmul(b);
        assertArrayEquals(new long[]{2, 5, 3, 2}, c.type().shape());
        assertEquals(DType.FLOAT32, c.dtype());
        assertArrayEquals(new long[]{3}, T.matmul(T.tensor(DType.FLOAT64, new long[]{3, 4}, "m"), T.dvector("v")).type().shape());
        assertArrayEquals(new long[]{5, 2}, T.matmul(T.dvector("v"), b.cast(DType.FLOAT64)).type().shape());
    }

    @Test void matmulVectorOperands() {
        Variable m = T.dmatrix("m"), v = T.dvector("v"), w = T.dvector("w");
        double[][] x = mat(3, 4);
        double[] y = vec(4), z = vec(3);
        double[] mv = new double[3], vm = new double[4];
        for (int i = 0; i < 3; i++) for (int k = 0; k < 4; k++) mv[i] += x[i][k] * y[k];
        for (int j = 0; j < 4; j++) for (int k = 0; k < 3; k++) vm[j] += z[k] * x[k][j];
        NDArray r1 = eval(T.matmul(m, v), m, x, v, y);
        assertArrayEquals(new long[]{3}, r1.shape());
        assertClose(mv, r1);
        NDArray r2 = eval(T.matmul(v, m), m, x, v, z);
        assertArrayEquals(new long[]{4}, r2.shape());
        assertClose(vm, r2);
        double s = 0;
        for (int k = 0; k < 4; k++) s += y[k] * y[k];
        NDArray r3 = eval(T.matmul(v, w), v, y, w, y);
        assertEquals(0, r3.ndim());
        assertEquals(s, r3.toDouble(), TOL);
        // a stack of matrices times a vector: (2, 3, 4) @ (4,) -> (2, 3)
        Variable t = T.dtensor3("t");
        double[][][] tx = t3(2, 3, 4);
        double[][] tv = new double[2][3];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) tv[i][j] += tx[i][j][k] * y[k];
        assertClose(flat(tv), eval(T.matmul(t, v), t, tx, v, y));
    }

    @Test void matmulIntegersAndTransposedBatches() {
        Variable a = T.ltensor3("a"), b = T.lmatrix("b");
        long[][][] x = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
        long[][] y = {{1L << 40, 1}, {1, 1L << 40}};
        // transpose the stack's batch axis with its row axis: view[i][j][k] = x[j][i][k]
        NDArray xt = NDArray.of(x).transpose(1, 0, 2);
        NDArray r = eval(T.matmul(a, b), a, xt, b, y);
        assertEquals(DType.INT64, r.dtype());
        long[] e = new long[8];
        int q = 0;
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int p = 0; p < 2; p++) {
            for (int k = 0; k < 2; k++) e[q] += x[j][i][k] * y[k][p];
            q++;
        }
        assertArrayEquals(e, r.toLongArray());
    }

    @Test void matmulEmpty() {
        Variable a = T.dtensor3("a"), b = T.dmatrix("b");
        NDArray r = eval(T.matmul(a, b), a, NDArray.zeros(DType.FLOAT64, 0, 2, 3), b, NDArray.of(mat(3, 4)));
        assertArrayEquals(new long[]{0, 2, 4}, r.shape());
        NDArray z = eval(T.matmul(a, b), a, NDArray.zeros(DType.FLOAT64, 2, 2, 0), b, NDArray.zeros(DType.FLOAT64, 0, 4));
        assertArrayEquals(new double[16], z.toDoubleArray());
    }

    @Test void matmulRejectsScalars() {
        var e = assertThrows(TheonException.TypeError.class, () -> T.matmul(T.dscalar("s"), T.dmatrix("m")));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("scalar"), e.getMessage());
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.matmul(T.dmatrix("m"), 2.0));
        assertTrue(e2.getMessage().contains("operand 1 is a scalar"), e2.getMessage());
    }

    @Test void matmulShapeErrors() {
        var e = assertThrows(TheonException.TypeError.class, () -> T.matmul(T.tensor(DType.FLOAT64, new long[]{2, 3, 4}, "a"),
                T.tensor(DType.FLOAT64, new long[]{5, 4, 2}, "b")));
        assertTrue(e.getMessage().contains("batch axes (2,) and (5,) cannot be broadcast"), e.getMessage());
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.matmul(T.tensor(DType.FLOAT64, new long[]{3, 4}, "a"),
                T.tensor(DType.FLOAT64, new long[]{3, 4}, "b")));
        assertTrue(e2.getMessage().contains("(3, 4) and (3, 4)") && e2.getMessage().contains("4 != 3"), e2.getMessage());

        Variable a = T.dtensor3("a"), b = T.dtensor3("b");
        var e3 = assertThrows(TheonException.ShapeError.class, () -> eval(T.matmul(a, b), a, t3(2, 3, 4), b, t3(3, 4, 2)));
        assertTrue(e3.getMessage().contains("batch axes (2,) and (3,)"), e3.getMessage());
        var e4 = assertThrows(TheonException.ShapeError.class, () -> eval(T.matmul(a, b), a, t3(2, 3, 4), b, t3(2, 3, 2)));
        assertTrue(e4.getMessage().contains("matmul: shapes (2, 3, 4) and (2, 3, 2)"), e4.getMessage());
        // a batch axis of unknown static size may not turn out to broadcast at run time
        var e5 = assertThrows(TheonException.ShapeError.class, () -> eval(T.matmul(a, b), a, t3(1, 3, 4), b, t3(2, 4, 2)));
        assertTrue(e5.getMessage().contains("broadcastable"), e5.getMessage());
    }

    // ---------------------------------------------------------------- outer and tensordot

    @Test void outerOfVectors() {
        Variable a = T.dvector("a"), b = T.dvector("b");
        double[] x = vec(3), y = vec(4);
        double[][] e = new double[3][4];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) e[i][j] = x[i] * y[j];
        NDArray r = eval(T.outer(a, b), a, x, b, y);
        assertArrayEquals(new long[]{3, 4}, r.shape());
        assertClose(flat(e), r);
        Variable i = T.lvector("i"), j = T.lvector("j");
        assertArrayEquals(new long[]{3, 4, 6, 8}, eval(T.outer(i, j), i, new long[]{1, 2}, j, new long[]{3, 4}).toLongArray());
        assertArrayEquals(new long[]{2, 4}, T.outer(T.tensor(DType.INT64, new long[]{2}, "p"), T.tensor(DType.INT64, new long[]{4}, "q")).type().shape());
    }

    @Test void outerFlattensOtherRanks() {
        Variable m = T.dmatrix("m"), v = T.dvector("v");
        double[][] x = mat(2, 2);
        double[] y = vec(2);
        // the transposed matrix flattens in its own C order: x[0][0], x[1][0], x[0][1], x[1][1]
        double[] fx = {x[0][0], x[1][0], x[0][1], x[1][1]};
        double[] e = new double[8];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 2; j++) e[i * 2 + j] = fx[i] * y[j];
        NDArray r = eval(T.outer(m, v), m, NDArray.of(x).transpose(), v, y);
        assertArrayEquals(new long[]{4, 2}, r.shape());
        assertClose(e, r);
    }

    @Test void tensordotWithACount() {
        Variable a = T.dtensor3("a"), b = T.dtensor3("b");
        double[][][] x = t3(2, 3, 4), y = t3(3, 4, 5);
        double[][] e = new double[2][5];
        for (int i = 0; i < 2; i++) for (int l = 0; l < 5; l++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++)
            e[i][l] += x[i][j][k] * y[j][k][l];
        NDArray r = eval(T.tensordot(a, b, 2), a, x, b, y);
        assertArrayEquals(new long[]{2, 5}, r.shape());
        assertClose(flat(e), r);
        // no axes is the outer product of the tensors
        Variable u = T.dvector("u"), m = T.dmatrix("m");
        double[] uv = vec(2);
        double[][] mv = mat(2, 3);
        double[] eo = new double[12];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 3; k++) eo[i * 6 + j * 3 + k] = uv[i] * mv[j][k];
        NDArray o = eval(T.tensordot(u, m, 0), u, uv, m, mv);
        assertArrayEquals(new long[]{2, 2, 3}, o.shape());
        assertClose(eo, o);
    }

    @Test void tensordotWithPairedAxes() {
        Variable a = T.dtensor3("a"), b = T.dtensor3("b");
        double[][][] x = t3(4, 2, 3), y = t3(3, 5, 4);
        // a's axis 0 with b's last axis and a's last axis with b's axis 0 (given negative): result (2, 5)
        double[][] e = new double[2][5];
        for (int j = 0; j < 2; j++) for (int l = 0; l < 5; l++) for (int i = 0; i < 4; i++) for (int k = 0; k < 3; k++)
            e[j][l] += x[i][j][k] * y[k][l][i];
        Variable c = T.tensordot(a, b, new int[]{0, -1}, new int[]{-1, 0});
        NDArray r = eval(c, a, NDArray.of(x), b, NDArray.of(y));
        assertArrayEquals(new long[]{2, 5}, r.shape());
        assertClose(flat(e), r);
        // the same with a transposed view in place of a: axes name the view's axes
        NDArray xt = NDArray.of(x).transpose(2, 1, 0);  // (3, 2, 4)
        NDArray r2 = eval(T.tensordot(a, b, new int[]{2, 0}, new int[]{2, 0}), a, xt, b, NDArray.of(y));
        assertClose(flat(e), r2);
        assertTrue(c.owner().op().name().contains("([0, 2], [2, 0])"), c.owner().op().name());
    }

    @Test void tensordotErrors() {
        Variable a = T.tensor(DType.FLOAT64, new long[]{2, 3}, "a"), b = T.tensor(DType.FLOAT64, new long[]{4, 5}, "b");
        var e = assertThrows(TheonException.TypeError.class, () -> T.tensordot(a, b, 1));
        assertTrue(e.getMessage().contains("shape-mismatch") && e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4, 5)"), e.getMessage());
        var e2 = assertThrows(TheonException.TypeError.class, () -> T.tensordot(a, b, 3));
        assertTrue(e2.getMessage().contains("cannot sum over 3 axes"), e2.getMessage());
        var e3 = assertThrows(TheonException.TypeError.class, () -> T.tensordot(a, b, new int[]{0}, new int[]{0, 1}));
        assertTrue(e3.getMessage().contains("same number of axes"), e3.getMessage());
        var e4 = assertThrows(TheonException.TypeError.class, () -> T.tensordot(a, b, new int[]{2}, new int[]{0}));
        assertTrue(e4.getMessage().contains("axis 2 is out of range"), e4.getMessage());
        Variable m = T.dmatrix("m"), n = T.dmatrix("n");
        var e5 = assertThrows(TheonException.ShapeError.class, () -> eval(T.tensordot(m, n, 1), m, mat(2, 3), n, mat(2, 3)));
        assertTrue(e5.getMessage().contains("shape-mismatch for sum"), e5.getMessage());
    }

    @Test void evalOnConstants() {
        NDArray r = T.dot(new double[][]{{1, 2}, {3, 4}}, new double[]{1, 1}).eval(Map.of());
        assertArrayEquals(new double[]{3, 7}, r.toDoubleArray());
    }
}
