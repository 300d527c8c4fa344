package dev.theon.simd;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.simd.Parity.Lay;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * dot, matmul and outer on the simd backend against exact float64 sums computed here (and against the reference
 * backend): every pair of ranks, sizes that take the direct loop, the packed kernel with edge tiles, K blocking and
 * the threaded paths, transposed and strided operands, float32, float64 and their mix.
 */
class BlasParityTest {

    /** The tolerance of a float dot product of length k relative to sum |a_p b_p|: float32 accumulates in float. */
    static double tol(DType dt) { return dt == DType.FLOAT32 ? 2e-5 : 1e-13; }

    /** Checks every element of a 2-D result against the exact sum of A[i, :] B[:, j]. */
    static void checkProduct(NDArray got, double[][] a, double[][] b, DType dt, String what) {
        int m = a.length, k = b.length, n = (int) got.shape(1);
        assertEquals(m, got.shape(0), what);
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0, scale = 0;
            for (int p = 0; p < k; p++) { s += a[i][p] * b[p][j]; scale += Math.abs(a[i][p] * b[p][j]); }
            double g = got.getDouble(i, j);
            if (!(Math.abs(g - s) <= tol(dt) * scale + 1e-300)) fail(what + ": at (" + i + ", " + j + ") got " + g + " want " + s + " (scale " + scale + ")");
        }
    }

    static double[][] values(NDArray a) {
        long[] s = a.shape();
        double[][] r = new double[(int) s[0]][(int) s[1]];
        for (int i = 0; i < s[0]; i++) for (int j = 0; j < s[1]; j++) r[i][j] = a.getDouble(i, j);
        return r;
    }

    @TestFactory Stream<DynamicTest> matrixProducts() {
        int[][] sizes = {{3, 5, 4}, {1, 7, 9}, {9, 7, 1}, {37, 41, 29}, {100, 300, 70}, {50, 1500, 130}, {200, 200, 200}, {7, 600, 600}, {13, 1, 17}, {0, 4, 3}, {4, 0, 3}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] sz : sizes) for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) for (Lay la : Lay.values()) for (Lay lb : new Lay[]{Lay.CONTIGUOUS, Lay.TRANSPOSED}) {
            String name = "dot " + sz[0] + "x" + sz[1] + " . " + sz[1] + "x" + sz[2] + " " + dt + " " + la + "/" + lb;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                NDArray a = Parity.random(r, dt, new long[]{sz[0], sz[1]}, -1, 1, la), b = Parity.random(r, dt, new long[]{sz[1], sz[2]}, -1, 1, lb);
                Variable x = T.tensor(dt, new long[]{-1, -1}, "a"), y = T.tensor(dt, new long[]{-1, -1}, "b");
                Function f = Parity.simd(List.of(x, y), List.of(T.dot(x, y)));
                NDArray got = f.callAll(a, b).get(0);
                checkProduct(got, values(a), values(b), dt, name);
                Parity.near(got, Parity.reference(List.of(x, y), List.of(T.dot(x, y))).callAll(a, b).get(0), tol(dt) * 10, name + " vs reference");
                assertTrue(f.describe().contains("gemm " + dt), f.describe());
            }));
        }
        return tests.stream();
    }

    @Test void everyPairOfRanks() {
        Random r = new Random(5);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            long[][][] cases = {{{6}, {6}}, {{5, 6}, {6}}, {{6}, {6, 5}}, {{2, 3, 6}, {6}}, {{2, 3, 6}, {6, 4}}, {{3, 6}, {2, 6, 4}}, {{2, 3, 6}, {5, 6, 4}}, {{4, 70}, {3, 70, 33}}};
            for (long[][] c : cases) {
                Variable x = T.tensor(dt, unknown(c[0].length), "a"), y = T.tensor(dt, unknown(c[1].length), "b");
                NDArray a = Parity.random(r, dt, c[0], -1, 1, Lay.TRANSPOSED), b = Parity.random(r, dt, c[1], -1, 1, Lay.STRIDED);
                NDArray s = Parity.simd(List.of(x, y), List.of(T.dot(x, y))).callAll(a, b).get(0);
                NDArray ref = Parity.reference(List.of(x, y), List.of(T.dot(x, y))).callAll(a, b).get(0);
                Parity.near(s, ref, tol(dt) * 10, "dot " + java.util.Arrays.deepToString(c) + " " + dt);
            }
        }
    }

    static long[] unknown(int rank) { long[] s = new long[rank]; java.util.Arrays.fill(s, -1); return s; }

    @Test void mixedPrecisionPromotesToFloat64() {
        Variable x = T.fmatrix("a"), y = T.dmatrix("b");
        Random r = new Random(1);
        NDArray a = Parity.random(r, DType.FLOAT32, new long[]{20, 30}, -1, 1, Lay.CONTIGUOUS), b = Parity.random(r, DType.FLOAT64, new long[]{30, 10}, -1, 1, Lay.CONTIGUOUS);
        NDArray got = Parity.simd(List.of(x, y), List.of(T.dot(x, y))).callAll(a, b).get(0);
        assertEquals(DType.FLOAT64, got.dtype());
        checkProduct(got, values(a), values(b), DType.FLOAT64, "float32 . float64");
    }

    @Test void matmulBroadcastsBatchesAndVectors() {
        Random r = new Random(2);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Variable x = T.tensor(dt, new long[]{-1, 1, -1, -1}, "a"), y = T.tensor(dt, new long[]{-1, -1, -1}, "b");
            NDArray a = Parity.random(r, dt, new long[]{2, 1, 9, 11}, -1, 1, Lay.TRANSPOSED), b = Parity.random(r, dt, new long[]{3, 11, 7}, -1, 1, Lay.CONTIGUOUS);
            Parity.near(Parity.simd(List.of(x, y), List.of(T.matmul(x, y))).callAll(a, b).get(0),
                    Parity.reference(List.of(x, y), List.of(T.matmul(x, y))).callAll(a, b).get(0), tol(dt) * 10, "batched matmul " + dt);
            // vector operands
            Variable v = T.tensor(dt, new long[]{-1}, "v"), m = T.tensor(dt, new long[]{-1, -1, -1}, "m");
            NDArray vv = Parity.random(r, dt, new long[]{11}, -1, 1, Lay.STRIDED), mm = Parity.random(r, dt, new long[]{4, 11, 5}, -1, 1, Lay.CONTIGUOUS);
            Parity.near(Parity.simd(List.of(v, m), List.of(T.matmul(v, m))).callAll(vv, mm).get(0),
                    Parity.reference(List.of(v, m), List.of(T.matmul(v, m))).callAll(vv, mm).get(0), tol(dt) * 10, "vector @ stack " + dt);
            // many small products: split across threads by batch
            Variable p = T.tensor(dt, new long[]{-1, -1, -1}, "p"), q = T.tensor(dt, new long[]{-1, -1, -1}, "q");
            NDArray pp = Parity.random(r, dt, new long[]{300, 16, 24}, -1, 1, Lay.CONTIGUOUS), qq = Parity.random(r, dt, new long[]{300, 24, 20}, -1, 1, Lay.TRANSPOSED);
            Parity.near(Parity.simd(List.of(p, q), List.of(T.matmul(p, q))).callAll(pp, qq).get(0),
                    Parity.reference(List.of(p, q), List.of(T.matmul(p, q))).callAll(pp, qq).get(0), tol(dt) * 10, "300 small products " + dt);
        }
    }

    @Test void gemmScalesTheProductAndAddsC() {
        Random r = new Random(8);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            long[][][] cases = {{{37, 41}, {41, 29}, {37, 29}}, {{37, 41}, {41, 29}, {29}}, {{100, 300}, {300, 70}, {1, 70}}, {{50, 60}, {60}, {50}}};
            for (long[][] c : cases) {
                Variable cv = T.tensor(dt, c[2].length == 2 && c[2][0] == 1 ? new long[]{1, -1} : unknown(c[2].length), "c");
                Variable a = T.tensor(dt, new long[]{-1, -1}, "a"), b = T.tensor(dt, unknown(c[1].length), "b");
                Variable alpha = T.tensor(dt, new long[]{}, "alpha"), beta = T.tensor(dt, new long[]{}, "beta");
                Variable out = new dev.theon.ops.Gemm().apply(cv, alpha, a, b, beta);
                Object[] args = {Parity.random(r, dt, c[2], -1, 1, Lay.CONTIGUOUS), NDArray.scalar(dt, -0.75), Parity.random(r, dt, c[0], -1, 1, Lay.TRANSPOSED),
                        Parity.random(r, dt, c[1], -1, 1, Lay.STRIDED), NDArray.scalar(dt, 1.5)};
                List<Variable> in = List.of(cv, alpha, a, b, beta);
                Function f = Parity.simd(in, List.of(out));
                assertTrue(f.describe().contains("gemm " + dt), f.describe());
                Parity.near(f.callAll(args).get(0), Parity.reference(in, List.of(out)).callAll(args).get(0), tol(dt) * 10, "gemm " + java.util.Arrays.deepToString(c) + " " + dt);
            }
        }
    }

    @Test void theSpecializePhaseTurnsDotPlusBiasIntoGemm() {
        Variable x = T.fmatrix("x"), w = T.fmatrix("w"), bias = T.fvector("b");
        Function f = Parity.simd(List.of(x, w, bias), List.of(T.add(T.dot(x, w), bias)));
        assertTrue(f.describe().contains("gemm"), f.describe());
        Random r = new Random(2);
        Object[] args = {Parity.random(r, DType.FLOAT32, new long[]{64, 80}, -1, 1, Lay.CONTIGUOUS), Parity.random(r, DType.FLOAT32, new long[]{80, 30}, -1, 1, Lay.CONTIGUOUS),
                Parity.random(r, DType.FLOAT32, new long[]{30}, -1, 1, Lay.CONTIGUOUS)};
        NDArray got = f.callAll(args).get(0);
        NDArray xs = (NDArray) args[0], ws = (NDArray) args[1], bs = (NDArray) args[2];
        for (int i = 0; i < 64; i++) for (int j = 0; j < 30; j++) {
            double s = bs.getDouble(j);
            for (int p = 0; p < 80; p++) s += xs.getDouble(i, p) * ws.getDouble(p, j);
            assertEquals(s, got.getDouble(i, j), 1e-4, "(" + i + ", " + j + ")");
        }
    }

    @Test void outerProduct() {
        Variable a = T.dvector("a"), b = T.dmatrix("b");
        NDArray av = NDArray.of(1.0, -2.0, 3.0), bv = NDArray.of(new double[][]{{0.5, 1}, {2, -1}});
        NDArray got = Parity.both(List.of(a, b), List.of(T.outer(a, b)), new Object[]{av, bv}, 0, "outer").get(0);
        assertArrayEquals(new double[][]{{0.5, 1, 2, -1}, {-1, -2, -4, 2}, {1.5, 3, 6, -3}}, got.toDoubleMatrix());
    }

    @Test void integerProductsFallBackVisiblyAndStayExact() {
        Variable a = T.lmatrix("a"), b = T.lmatrix("b");
        Function f = Parity.simd(List.of(a, b), List.of(T.dot(a, b)));
        assertTrue(f.describe().contains("FALLBACK"), f.describe());
        long big = 1L << 40;
        assertEquals(big * 3, f.callAll(new long[][]{{big, big}}, new long[][]{{1}, {2}}).get(0).getLong(0, 0));
    }

    @Test void misalignedOperandsRaiseTheReferenceError() {
        Variable a = T.dmatrix("a"), b = T.dmatrix("b");
        Function f = Parity.simd(List.of(a, b), List.of(T.dot(a, b)));
        TheonException.ShapeError e = assertThrows(TheonException.ShapeError.class, () -> f.callAll(new double[][]{{1, 2}}, new double[][]{{1, 2}}));
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
        Variable c = T.tensor(DType.FLOAT64, new long[]{-1, -1, -1}, "c"), d = T.tensor(DType.FLOAT64, new long[]{-1, -1, -1}, "d");
        Function g = Parity.simd(List.of(c, d), List.of(T.matmul(c, d)));
        assertThrows(TheonException.ShapeError.class, () -> g.callAll(new double[][][]{{{1}}, {{2}}}, new double[][][]{{{1}}, {{2}}, {{3}}}));
    }
}
