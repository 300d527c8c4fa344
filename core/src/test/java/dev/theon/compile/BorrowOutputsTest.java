package dev.theon.compile;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Borrowed outputs ({@code Options.borrowOutputs}) on the reference backend; values checked against plain Java loops. */
class BorrowOutputsTest {
    static final String BACKEND = "reference";

    static Options borrow() { return Theon.options().backend(BACKEND).borrowOutputs(true); }

    /** x * 2 + y * y, elementwise, in float64 by hand. */
    static double[] expected(double[] x, double[] y) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i] * 2 + y[i] * y[i];
        return r;
    }

    static double[] ramp(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (i - n / 3.0);
        return v;
    }

    static Variable[] xy() { return new Variable[]{T.dvector("x"), T.dvector("y")}; }

    static Variable body(Variable x, Variable y) { return T.add(T.mul(x, 2.0), T.mul(y, y)); }

    @Test void theSecondCallOverwritesTheFirstCallsResult() {
        Variable[] v = xy();
        Function f = Theon.function(List.of(v), body(v[0], v[1]), borrow());
        double[] x1 = ramp(1000, 1), y1 = ramp(1000, 0.5), x2 = ramp(1000, -3), y2 = ramp(1000, 0.25);
        NDArray r1 = f.call(x1, y1);
        assertArrayEquals(expected(x1, y1), r1.toDoubleArray(), 0);
        NDArray r2 = f.call(x2, y2);
        assertSame(r1, r2, "the same array is lent again");
        assertEquals(r1.segment().address(), r2.segment().address());
        assertArrayEquals(expected(x2, y2), r1.toDoubleArray(), 0, "the first result now holds the second call's values");
        // a different shape: the call makes a new array, right all the same
        double[] x3 = ramp(7, 2), y3 = ramp(7, 1);
        assertArrayEquals(expected(x3, y3), f.call(x3, y3).toDoubleArray(), 0);
    }

    @Test void withoutTheOptionEachResultIsTheCallers() {
        Variable[] v = xy();
        Function f = Theon.function(List.of(v), body(v[0], v[1]), Theon.options().backend(BACKEND));
        double[] x1 = ramp(100, 1), y1 = ramp(100, 0.5), x2 = ramp(100, -3), y2 = ramp(100, 0.25);
        NDArray r1 = f.call(x1, y1), r2 = f.call(x2, y2);
        assertFalse(r1.sharesStorageWith(r2));
        assertArrayEquals(expected(x1, y1), r1.toDoubleArray(), 0, "the first result keeps its values");
        assertArrayEquals(expected(x2, y2), r2.toDoubleArray(), 0);
    }

    @Test void severalOutputsAndIntermediates() {
        Variable[] v = xy();
        Variable t = T.exp(v[0]);
        Function f = Theon.function(List.of(v), List.of(T.add(t, v[1]), T.mul(t, v[1]), T.sum(T.mul(v[0], v[1]))), borrow());
        for (int call = 0; call < 3; call++) {
            double[] x = ramp(50, 0.1 * (call + 1)), y = ramp(50, -0.2 * (call + 1));
            List<NDArray> r = f.callAll(x, y);
            double dot = 0;
            for (int i = 0; i < x.length; i++) {
                assertEquals(Math.exp(x[i]) + y[i], r.get(0).flatDouble(i), 1e-12);
                assertEquals(Math.exp(x[i]) * y[i], r.get(1).flatDouble(i), 1e-12);
                dot += x[i] * y[i];
            }
            assertEquals(dot, r.get(2).toDouble(), 1e-9);
            assertFalse(r.get(0).sharesStorageWith(r.get(1)), "two outputs never share a buffer");
        }
    }

    @Test void aBorrowedResultPassedBackInIsNotOverwrittenWhileRead() {
        // y <- dot(y, m) reads all of y for every element it writes: computing into y itself would be wrong
        Variable y = T.dmatrix("y"), m = T.dmatrix("m");
        Function step = Theon.function(List.of(y, m), T.dot(y, m), borrow());
        double[][] mm = {{0.5, 1, 0}, {0, 0.5, 1}, {1, 0, 0.5}};
        double[][] cur = {{1, 2, 3}, {4, 5, 6}};
        NDArray arg = NDArray.of(cur);
        for (int k = 0; k < 4; k++) {
            NDArray next = step.call(arg, mm);
            double[][] want = new double[2][3];
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int p = 0; p < 3; p++) want[i][j] += cur[i][p] * mm[p][j];
            for (int i = 0; i < 2; i++) assertArrayEquals(want[i], next.toDoubleMatrix()[i], 1e-12, "step " + k);
            cur = want;
            arg = next;  // the borrowed result is the next argument
        }
    }

    @Test void outputsThatAreInputsConstantsOrSharedValuesAreStillCopied() {
        Variable x = T.dvector("x");
        SharedVariable w = Theon.shared(new double[]{1, 2, 3}, "w");
        Function f = Theon.function(List.of(x), List.of(x, w, T.constant(NDArray.of(7.0, 8.0, 9.0))), borrow());
        NDArray arg = NDArray.of(4.0, 5.0, 6.0);
        List<NDArray> r = f.callAll(arg);
        assertFalse(r.get(0).sharesStorageWith(arg), "an input is copied");
        assertFalse(r.get(1).sharesStorageWith(w.get(true)), "a shared value is copied");
        assertArrayEquals(new double[]{4, 5, 6}, r.get(0).toDoubleArray());
        assertArrayEquals(new double[]{1, 2, 3}, r.get(1).toDoubleArray());
        assertArrayEquals(new double[]{7, 8, 9}, r.get(2).toDoubleArray());
        r.get(2).writeDouble(0, -1);
        assertArrayEquals(new double[]{7, 8, 9}, f.callAll(arg).get(2).toDoubleArray(), "the constant was not handed out");
    }

    @Test void updateValuesAreNeverBorrowed() {
        Variable x = T.dvector("x");
        SharedVariable acc = Theon.shared(new double[]{0, 0}, "acc");
        Variable next = T.add(acc, x);
        Function f = Theon.function(List.of(x), T.mul(next, 10.0), borrow().updates(Map.of(acc, next)));
        NDArray r1 = f.call(new double[]{1, 2});
        assertArrayEquals(new double[]{10, 20}, r1.toDoubleArray());
        NDArray r2 = f.call(new double[]{3, 4});
        assertSame(r1, r2);
        assertArrayEquals(new double[]{40, 60}, r2.toDoubleArray());
        assertArrayEquals(new double[]{4, 6}, acc.get().toDoubleArray(), "the shared value is the update, not a reused buffer");
        assertFalse(acc.get(true).sharesStorageWith(r2));
        f.call(new double[]{10, 10});
        assertArrayEquals(new double[]{14, 16}, acc.get().toDoubleArray());
    }

    @Test void debugModeAcceptsBorrowedOutputs() {
        Variable[] v = xy();
        Function f = Theon.function(List.of(v), body(v[0], v[1]), borrow().mode("DEBUG"));
        double[] x = ramp(20, 1), y = ramp(20, 2);
        NDArray r1 = f.call(x, y);
        assertSame(r1, f.call(y, x));
        assertArrayEquals(expected(y, x), r1.toDoubleArray(), 0);
    }

    @Test void concurrentCallsNeverShareABufferAndEachThreadKeepsItsResult() throws Exception {
        Variable[] v = xy();
        Function f = Theon.function(List.of(v), body(v[0], v[1]), borrow());
        int threads = 4, n = 256, rounds = 40;
        CyclicBarrier barrier = new CyclicBarrier(threads);
        NDArray[][] seen = new NDArray[threads][rounds];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int k = 0; k < rounds; k++) {
                        double[] x = ramp(n, id + 1), y = ramp(n, k + 1);
                        NDArray r = f.call(x, y);
                        seen[id][k] = r;
                        barrier.await(20, java.util.concurrent.TimeUnit.SECONDS);  // every thread holds a result now: no two may share storage
                        for (int o = 0; o < threads; o++)
                            if (o != id) assertFalse(r.sharesStorageWith(seen[o][k]), "threads " + id + " and " + o + " got the same buffer");
                        barrier.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        // one thread holds its result while the others call again
                        int holder = k % threads;
                        if (id != holder) {
                            double[] x2 = ramp(n, -id - 1), y2 = ramp(n, -k - 1);
                            for (int j = 0; j < 3; j++) assertSame(r, f.call(x2, y2), "a thread gets its own buffer back");
                            assertArrayEquals(expected(x2, y2), r.toDoubleArray(), 0);
                        }
                        barrier.await(20, java.util.concurrent.TimeUnit.SECONDS);
                        if (id == holder) assertArrayEquals(expected(x, y), r.toDoubleArray(), 0, "another thread's call overwrote this thread's result");
                    }
                    return null;
                }));
            }
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                // a thread that fails leaves the others waiting at the barrier: report its failure, not their timeouts
                Throwable first = null;
                for (Future<?> d : done) {
                    try {
                        d.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable c = e.getCause();
                        boolean waited = c instanceof java.util.concurrent.TimeoutException || c instanceof java.util.concurrent.BrokenBarrierException;
                        if (first == null || !waited) first = c;
                        if (!waited) break;
                    }
                }
                if (first != null) throw first;
            });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test void theOptionDefaultsToOff() {
        assertFalse(Theon.options().borrowOutputs());
        assertTrue(Theon.options().borrowOutputs(true).borrowOutputs());
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.exp(x), Theon.options().backend(BACKEND));
        assertFalse(f.call(new double[]{0}).sharesStorageWith(f.call(new double[]{0})));
        assertEquals(DType.FLOAT64, f.call(new double[]{0}).dtype());
        assertThrows(TheonException.InputError.class, () -> Theon.function(List.of(x), T.exp(x), borrow()).call(new double[]{0}, 1.0));
    }
}
