package dev.theon.simd;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.compile.Options;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Borrowed outputs on the simd executable: fused kernels, GEMM, large (mapped) results; values from plain Java loops. */
class BorrowOutputsSimdTest {

    static Options borrow() { return Theon.options().backend("simd").borrowOutputs(true); }

    /** tanh(a*x + b) * c + exp(-x*x) in float64, rounded to float32 as the result is. */
    static float chain(float x, float a, float b, float c) { return (float) (Math.tanh(a * (double) x + b) * c + Math.exp(-(double) x * x)); }

    static float[] randomFloats(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    static void assertChain(float[] x, float a, float b, float c, NDArray got) {
        assertEquals(x.length, got.size());
        for (int i = 0; i < x.length; i++) {
            float want = chain(x[i], a, b, c);
            assertEquals(want, got.flatDouble(i), 2e-6 * Math.max(1, Math.abs(want)), "element " + i);
        }
    }

    static Variable[] chainInputs() { return new Variable[]{T.fvector("x"), T.fscalar("a"), T.fscalar("b"), T.fscalar("c")}; }

    static Variable chainOf(Variable[] v) { return T.add(T.mul(T.tanh(T.add(T.mul(v[1], v[0]), v[2])), v[3]), T.exp(T.neg(T.mul(v[0], v[0])))); }

    @Test void aFusedKernelWritesTheNextResultIntoTheSameLargeBuffer() {
        Variable[] v = chainInputs();
        Function f = Theon.function(List.of(v), chainOf(v), borrow());
        int n = 1 << 20;  // 4 MB of float32: a mapped array
        float[] x1 = randomFloats(n, 1), x2 = randomFloats(n, 2);
        NDArray r1 = f.call(x1, 0.5f, 0.1f, 2f);
        assertChain(x1, 0.5f, 0.1f, 2f, r1);
        NDArray r2 = f.call(x2, -1.5f, 0.25f, 3f);
        assertSame(r1, r2, "the same buffer is lent again");
        assertChain(x2, -1.5f, 0.25f, 3f, r1);
        assertTrue(f.describe().contains("backend simd"));
    }

    @Test void withoutTheOptionResultsAreDistinctArrays() {
        Variable[] v = chainInputs();
        Function f = Theon.function(List.of(v), chainOf(v), Theon.options().backend("simd"));
        float[] x1 = randomFloats(5000, 3), x2 = randomFloats(5000, 4);
        NDArray r1 = f.call(x1, 0.5f, 0.1f, 2f), r2 = f.call(x2, 1f, 0f, 1f);
        assertFalse(r1.sharesStorageWith(r2));
        assertChain(x1, 0.5f, 0.1f, 2f, r1);
        assertChain(x2, 1f, 0f, 1f, r2);
    }

    @Test void gemmOnABorrowedResultPassedBackIn() {
        Variable y = T.fmatrix("y"), m = T.fmatrix("m");
        Function step = Theon.function(List.of(y, m), T.dot(y, m), borrow());
        int r = 40, c = 40;
        float[][] mm = new float[c][c];
        for (int i = 0; i < c; i++) for (int j = 0; j < c; j++) mm[i][j] = (float) (0.1 * Math.sin(i + 2 * j) + (i == j ? 0.5 : 0));
        double[][] cur = new double[r][c];
        float[][] start = new float[r][c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) cur[i][j] = start[i][j] = (float) Math.cos(i * 0.3 + j);
        Object arg = start;
        for (int k = 0; k < 4; k++) {
            NDArray next = step.call(arg, mm);
            double[][] want = new double[r][c];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) for (int p = 0; p < c; p++) want[i][j] += cur[i][p] * mm[p][j];
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) assertEquals(want[i][j], next.flatDouble((long) i * c + j), 1e-4, "step " + k);
            // recompute from the float32 result, as the next step reads it
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) cur[i][j] = next.flatDouble((long) i * c + j);
            arg = next;
        }
    }

    @Test void updatesAndAliasedOutputsAreNotBorrowed() {
        Variable x = T.fvector("x");
        SharedVariable acc = Theon.shared(new float[]{0, 0, 0}, "acc");
        Variable next = T.add(acc, x);
        Function f = Theon.function(List.of(x), List.of(T.mul(next, 2f), x), borrow().updates(Map.of(acc, next)));
        NDArray arg = NDArray.of(1f, 2f, 3f);
        List<NDArray> r1 = new ArrayList<>(f.callAll(arg));
        assertFalse(r1.get(1).sharesStorageWith(arg), "an output that is an input is copied");
        List<NDArray> r2 = f.callAll(arg);
        assertSame(r1.get(0), r2.get(0));
        assertArrayEquals(new float[]{4, 8, 12}, r2.get(0).toFloatArray());
        assertArrayEquals(new float[]{2, 4, 6}, acc.get().toFloatArray());
        assertFalse(acc.get(true).sharesStorageWith(r2.get(0)));
    }

    @Test void concurrentCallsNeverShareABufferAndEachThreadKeepsItsResult() throws Exception {
        Variable[] v = chainInputs();
        Function f = Theon.function(List.of(v), chainOf(v), borrow());
        int threads = 3, n = 4096, rounds = 20;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        NDArray[][] seen = new NDArray[threads][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    float[] x = randomFloats(n, 10 + id);
                    for (int k = 0; k < rounds; k++) {
                        float a = id + 1, b = k * 0.01f;
                        NDArray r = f.call(x, a, b, 1f);
                        seen[id][k] = r;
                        barrier.await(20, TimeUnit.SECONDS);
                        for (int o = 0; o < threads; o++)
                            if (o != id) assertFalse(r.sharesStorageWith(seen[o][k]), "threads " + id + " and " + o + " got the same buffer");
                        barrier.await(20, TimeUnit.SECONDS);
                        int holder = k % threads;
                        if (id != holder) for (int j = 0; j < 3; j++) assertSame(r, f.call(x, -a, b, 2f));
                        barrier.await(20, TimeUnit.SECONDS);
                        if (id == holder) assertChain(x, a, b, 1f, r);
                        else assertChain(x, -a, b, 2f, r);
                    }
                    return null;
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> { for (Future<?> d : done) d.get(); });
        } finally {
            pool.shutdownNow();
        }
        assertEquals(DType.FLOAT32, seen[0][0].dtype());
    }
}
