package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.ops.Dot;
import dev.theon.ops.Gemm;
import dev.theon.ops.Reduce;
import dev.theon.ops.ScalarOp;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.theon.rewrite.Graphs.*;
import static org.junit.jupiter.api.Assertions.*;

/** Cheaper ops for the same values: sqr, sqrt, inv, dot and gemm. */
class SpecializeTest {

    @Test void powersBySmallConstants() {
        Variable x = T.dvector("x");
        double[] xs = {4, 0.25};
        Object[][] cases = {{2.0, ScalarOp.SQR}, {0.5, ScalarOp.SQRT}, {-1.0, ScalarOp.INV}, {-2.0, ScalarOp.INV}};
        for (Object[] c : cases) {
            double p = (Double) c[0];
            Function f = Theon.function(List.of(x), T.pow(x, p));
            assertEquals(0, countScalar(f, ScalarOp.POW), ops(f));
            assertTrue(countScalar(f, (ScalarOp) c[1]) >= 1, ops(f));
            assertClose(new double[]{Math.pow(4, p), Math.pow(0.25, p)}, f.call(xs), 1e-15);
        }
        Function cube = Theon.function(List.of(x), T.pow(x, 3.0));
        assertEquals(1, countScalar(cube, ScalarOp.POW), ops(cube));
        // integer powers of integers stay exact int64 powers
        Variable n = T.lvector("n");
        NDArray r = Theon.function(List.of(n), T.pow(n, 2)).call(new long[]{3_000_000_000L});
        assertEquals(DType.INT64, r.dtype());
        assertEquals(9_000_000_000_000_000_000L, r.toLongArray()[0]);
        Variable f32 = T.fvector("f");
        NDArray rf = Theon.function(List.of(f32), T.pow(f32, 2.0f)).call(new float[]{1.5f});
        assertEquals(DType.FLOAT32, rf.dtype());
        assertEquals(2.25f, rf.toFloatArray()[0]);
    }

    @Test void sumOfProductsIsADot() {
        Variable u = T.dvector("u"), v = T.dvector("v"), m = T.dmatrix("m");
        Function f = Theon.function(List.of(u, v), T.sum(T.mul(u, v)));
        assertEquals(1, count(f, Dot.class), ops(f));
        assertEquals(0, count(f, Reduce.class), ops(f));
        assertEquals(1 * 4 + 2 * 5 + 3 * 6, f.call(new double[]{1, 2, 3}, new double[]{4, 5, 6}).toDouble(), 1e-12);
        Function g = Theon.function(List.of(m, v), T.sum(T.mul(m, v), 1));
        assertEquals(1, count(g, Dot.class), ops(g));
        assertClose(new double[]{1 * 4 + 2 * 5, 3 * 4 + 4 * 5}, g.call(new double[][]{{1, 2}, {3, 4}}, new double[]{4, 5}), 1e-12);
        // sum over the other axis is not a dot of these operands
        Function h = Theon.function(List.of(m, v), T.sum(T.mul(m, v), 0));
        assertEquals(0, count(h, Dot.class), ops(h));
        assertClose(new double[]{(1 + 3) * 4, (2 + 4) * 5}, h.call(new double[][]{{1, 2}, {3, 4}}, new double[]{4, 5}), 1e-12);
    }

    static double[][] random(Random r, int n, int m) {
        double[][] a = new double[n][m];
        for (double[] row : a) for (int j = 0; j < m; j++) row[j] = r.nextGaussian();
        return a;
    }

    static double[][] matmul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < b[0].length; j++) for (int k = 0; k < b.length; k++) c[i][j] += a[i][k] * b[k][j];
        return c;
    }

    static double[] flat(double[][] a) { return java.util.Arrays.stream(a).flatMapToDouble(java.util.Arrays::stream).toArray(); }

    @Test void dotPlusSomethingIsGemm() {
        Random rnd = new Random(3);
        double[][] a = random(rnd, 3, 4), b = random(rnd, 4, 2), c = random(rnd, 3, 2);
        double[] bias = {0.5, -1};
        double[][] ab = matmul(a, b);
        Variable A = T.dmatrix("A"), B = T.dmatrix("B"), C = T.dmatrix("C"), bv = T.dvector("bv");
        Object[][] cases = {
                {T.add(T.dot(A, B), C), 1.0, 1.0},
                {T.add(C, T.mul(T.dot(A, B), 0.5)), 0.5, 1.0},
                {T.sub(C, T.mul(0.25, T.dot(A, B))), -0.25, 1.0},
                {T.sub(C, T.dot(A, B)), -1.0, 1.0},
                {T.sub(T.dot(A, B), C), 1.0, -1.0}};
        for (Object[] k : cases) {
            Function f = Theon.function(List.of(A, B, C), (Variable) k[0]);
            assertEquals(1, count(f, Gemm.class), ops(f));
            assertEquals(0, count(f, Dot.class), ops(f));
            double alpha = (Double) k[1], beta = (Double) k[2];
            double[] want = new double[6];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) want[i * 2 + j] = alpha * ab[i][j] + beta * c[i][j];
            assertClose(want, f.call(a, b, c), 1e-12);
        }
        // a bias vector broadcast over the rows, and a matrix-vector product (gemv)
        Function bf = Theon.function(List.of(A, B, bv), T.add(T.dot(A, B), bv));
        assertEquals(1, count(bf, Gemm.class), ops(bf));
        double[] want = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) want[i * 2 + j] = ab[i][j] + bias[j];
        assertClose(want, bf.call(a, b, bias), 1e-12);
        Variable x = T.dvector("x"), y = T.dvector("y");
        Function gv = Theon.function(List.of(A, x, y), T.add(T.dot(A, x), y));
        assertEquals(1, count(gv, Gemm.class), ops(gv));
        assertTrue(gv.describe().contains("gemm"), gv.describe());
        double[] xv = {1, 2, 3, 4}, yv = {1, 1, 1};
        double[] wantV = new double[3];
        for (int i = 0; i < 3; i++) { wantV[i] = 1; for (int j = 0; j < 4; j++) wantV[i] += a[i][j] * xv[j]; }
        assertClose(wantV, gv.call(a, xv, yv), 1e-12);
        // transposed operands are read through their strides
        Function tf = Theon.function(List.of(A, B, C), T.add(T.dot(T.transpose(A), T.transpose(B)), T.transpose(C)));
        double[][] at = random(rnd, 4, 3), bt = random(rnd, 2, 4), ct = random(rnd, 2, 3);
        double[][] prod = matmul(transpose(at), transpose(bt));
        double[] wantT = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) wantT[i * 2 + j] = prod[i][j] + ct[j][i];
        assertClose(wantT, tf.call(at, bt, ct), 1e-12);
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    @Test void gemmOnlyWhereTheProductIsReadOnce() {
        Variable A = T.dmatrix("A"), B = T.dmatrix("B"), C = T.dmatrix("C");
        Variable d = T.dot(A, B);
        Function f = Theon.function(List.of(A, B, C), List.of(T.add(d, C), T.mul(d, 2.0)));
        assertEquals(0, count(f, Gemm.class), ops(f));
        assertEquals(1, count(f, Dot.class), ops(f));
        // mixed dtypes are left alone
        Variable F = T.fmatrix("F");
        Function g = Theon.function(List.of(F, B, C), T.add(T.dot(F, B), C));
        assertEquals(0, count(g, Gemm.class), ops(g));
    }

    @Test void sgdUpdateIsGemmAndLeavesTheSharedValueIntactUntilCommit() {
        Random rnd = new Random(5);
        double[][] w0 = random(rnd, 3, 2), xs = random(rnd, 4, 3), gs = random(rnd, 4, 2);
        SharedVariable w = Theon.shared(w0, "w");
        Variable x = T.dmatrix("x"), g = T.dmatrix("g");
        Function step = Theon.function(List.of(x, g), T.sum(w), Theon.options().updates(Map.of(w, T.sub(w, T.mul(T.dot(T.transpose(x), g), 0.1)))));
        assertEquals(1, count(step, Gemm.class), ops(step));
        double before = step.call(xs, gs).toDouble();
        assertEquals(java.util.Arrays.stream(flat(w0)).sum(), before, 1e-12, "the call read W before the update");
        double[][] grad = matmul(transpose(xs), gs);
        double[] want = new double[6];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) want[i * 2 + j] = w0[i][j] - 0.1 * grad[i][j];
        assertClose(want, w.get(false), 1e-12);
    }

    @Test void gemmTypeRule() {
        Variable A = T.dmatrix("A"), B = T.dmatrix("B"), C = T.dmatrix("C"), s = T.dscalar("s");
        assertThrows(dev.theon.TheonException.TypeError.class, () -> new Gemm().apply(C, s, T.dvector("v"), B, s));
        var e = assertThrows(dev.theon.TheonException.TypeError.class, () -> new Gemm().apply(T.fmatrix("F"), s, A, B, s));
        assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        var e2 = assertThrows(dev.theon.TheonException.TypeError.class,
                () -> new Gemm().apply(C, s, T.tensor(DType.FLOAT64, new long[]{2, 3}, "a"), T.tensor(DType.FLOAT64, new long[]{4, 2}, "b"), s));
        assertTrue(e2.getMessage().contains("not aligned"), e2.getMessage());
        NDArray r = Theon.function(List.of(A, B, C, s), new Gemm().apply(C, s, A, B, dev.theon.graph.Constant.scalar(DType.FLOAT64, 2)))
                .call(new double[][]{{1, 2}}, new double[][]{{3}, {4}}, new double[][]{{10}}, 0.5);
        assertEquals(0.5 * 11 + 20, r.flatDouble(0), 1e-12);
    }
}
