package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.ops.Gemm;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The executable's buffer plan: dead intermediates share arrays, and sharing never lets a node overwrite a value that
 * is still needed (a view of it, a marked input of a kernel that does not compute in place, another call's values).
 * Every value is checked against plain float64 loops, over several calls, so a stale or overwritten buffer shows.
 */
class SimdBuffersTest {

    private static final Random RND = new Random(7);

    static double[][] rand(int n, int m) {
        double[][] r = new double[n][m];
        for (double[] row : r) for (int j = 0; j < m; j++) row[j] = Math.round(RND.nextGaussian() * 8) / 8.0;
        return r;
    }

    static double[][] mm(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < b[0].length; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        return c;
    }

    static void assertMatrix(double[][] expect, NDArray got, double tol, String what) {
        assertArrayEquals(new long[]{expect.length, expect[0].length}, got.shape(), what + ": shape");
        for (int i = 0; i < expect.length; i++)
            for (int j = 0; j < expect[0].length; j++)
                assertEquals(expect[i][j], got.getDouble(i, j), tol * Math.max(1, Math.abs(expect[i][j])), what + " at " + i + "," + j);
    }

    @Test void aChainOfProductsRunsInTwoArraysWhateverTheShapes() {
        Variable x = T.dmatrix("x"), w = T.dmatrix("w");
        Function f = Theon.function(List.of(x, w), T.dot(T.dot(T.dot(T.dot(x, w), w), w), w), Theon.options().backend("simd"));
        assertTrue(f.describe().contains("buffers: 2 arrays for 4 node outputs"), f.describe());
        // the sizes change from call to call: a buffer's array that no longer fits is replaced, never misused
        int[][] sizes = {{3, 4}, {5, 4}, {3, 4}, {2, 7}, {2, 7}};
        for (int[] s : sizes) {
            double[][] a = rand(s[0], s[1]), b = rand(s[1], s[1]);
            assertMatrix(mm(mm(mm(mm(a, b), b), b), b), f.call(a, b), 1e-12, "x w w w w for " + s[0] + "x" + s[1]);
        }
    }

    @Test void aViewKeepsTheValueItViewsAlive() {
        // e is read only by the transpose, whose result is read last: e's array must not be handed to tanh(x)
        Variable x = T.dmatrix("x");
        Variable e = T.exp(x);
        Variable t = T.tanh(x);
        Variable out = T.add(T.transpose(e), T.mul(t, 2.0));
        Function f = Theon.function(List.of(x), out, Theon.options().backend("simd").excluding("fusion"));
        for (int call = 0; call < 3; call++) {
            double[][] a = rand(3, 3);
            double[][] expect = new double[3][3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expect[i][j] = Math.exp(a[j][i]) + 2 * Math.tanh(a[i][j]);
            assertMatrix(expect, f.call((Object) a), 1e-14, "exp(x).T + 2 tanh(x), call " + call);
        }
    }

    @Test void aGemmMarkedToOverwriteItsAddendDoesNotInheritItsArray() {
        // the destroy handler marks gemm to compute into exp(c); the simd gemm writes the product before it reads C,
        // so it ignores the mark, and the buffer plan must not give it exp(c)'s array either
        Variable a = T.dmatrix("a"), b = T.dmatrix("b"), c = T.dmatrix("c");
        Variable out = T.add(T.dot(a, b), T.exp(c));
        Function f = Theon.function(List.of(a, b, c), out, Theon.options().backend("simd").excluding("fusion"));
        boolean gemm = false;
        for (Apply n : f.graph().nodes()) {
            if (!(n.op() instanceof Gemm)) continue;
            gemm = true;
            FunctionGraph.Destroy d = f.graph().destroyed(n);
            assertNotNull(d, "the destroy handler marks gemm to overwrite its C:\n" + f.describe());
        }
        assertTrue(gemm, "dot + c becomes a gemm:\n" + f.describe());
        assertFalse(f.describe().contains("computed into input"), f.describe());
        for (int call = 0; call < 3; call++) {
            double[][] x = rand(4, 5), y = rand(5, 3), z = rand(4, 3);
            double[][] expect = mm(x, y);
            for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) expect[i][j] += Math.exp(z[i][j]);
            assertMatrix(expect, f.call(x, y, z), 1e-13, "dot(a, b) + exp(c), call " + call);
        }
    }

    @Test void intermediatesComputedInPlaceStillShareWithTheRest() {
        // tanh(exp(x) * 2) computes mul into exp's array and tanh into mul's: one array for three node outputs
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.sum(T.tanh(T.mul(T.exp(x), 2.0))), Theon.options().backend("simd").excluding("fusion"));
        assertTrue(f.describe().contains("computed into input"), f.describe());
        assertTrue(f.describe().contains("buffers: 2 arrays for 4 node outputs"), f.describe());
        for (int call = 1; call <= 3; call++) {
            double[] v = new double[5 * call];
            double s = 0;
            for (int i = 0; i < v.length; i++) { v[i] = i * 0.1 - 1; s += Math.tanh(2 * Math.exp(v[i])); }
            assertEquals(s, f.call((Object) v).toDouble(), 1e-12);
        }
    }

    @Test void concurrentCallsNeverShareIntermediates() throws Exception {
        Variable x = T.dmatrix("x"), w = T.dmatrix("w");
        Function f = Theon.function(List.of(x, w), T.tanh(T.dot(T.exp(T.dot(x, w)), w)), Theon.options().backend("simd").excluding("fusion"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int call = 0; call < 50; call++) {
                        int n = 2 + r.nextInt(6);
                        double[][] a = new double[n][4], b = new double[4][4];
                        for (double[] row : a) for (int j = 0; j < 4; j++) row[j] = r.nextDouble() - 0.5;
                        for (double[] row : b) for (int j = 0; j < 4; j++) row[j] = r.nextDouble() - 0.5;
                        double[][] e = mm(a, b);
                        for (double[] row : e) for (int j = 0; j < 4; j++) row[j] = Math.exp(row[j]);
                        double[][] expect = mm(e, b);
                        for (double[] row : expect) for (int j = 0; j < 4; j++) row[j] = Math.tanh(row[j]);
                        assertMatrix(expect, f.call(a, b), 1e-13, "thread " + seed + " call " + call);
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) d.get();
        } finally {
            pool.shutdown();
        }
    }
}
