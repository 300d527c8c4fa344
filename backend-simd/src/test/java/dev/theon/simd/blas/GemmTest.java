package dev.theon.simd.blas;

import dev.theon.simd.Pool;
import dev.theon.tensor.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code D = alpha A B + beta C} through {@link Blas#gemm} against float64 sums computed here: every operand layout
 * (row-major, transposed, strided, at an offset), the packed paths' edges (partial panels, transposed 16 x 16 blocks
 * with remainders, K blocks), narrow products that run transposed, C full, broadcast along either axis, transposed or
 * a scalar, alpha and beta 0, 1 and others, on 1 and 2 threads, float32 and float64.
 */
class GemmTest {
    private final int parallelism = Pool.parallelism();

    @AfterEach void restore() { Pool.setParallelism(parallelism); }

    /** How an operand lies in memory; the values are the same. */
    enum Lay { ROW, COL, STRIDED }

    /** A strided matrix with its values kept in float64 for the expected sums. */
    record Operand(Mat mat, double[][] values) {}

    static Operand operand(Random r, DType dt, int rows, int cols, Lay lay) {
        long off = 3, rs, cs, size;
        switch (lay) {
            case ROW -> { rs = cols + 1; cs = 1; size = rows * rs; }
            case COL -> { rs = 1; cs = rows + 2; size = cols * cs; }
            default -> { rs = 2L * cols + 1; cs = 2; size = rows * rs; }
        }
        MemorySegment seg = Arena.ofAuto().allocate((off + size + 1) * dt.byteSize(), 64);
        double[][] v = new double[rows][cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) {
            double x = r.nextDouble() * 2 - 1;
            if (dt == DType.FLOAT32) { v[i][j] = (float) x; seg.setAtIndex(ValueLayout.JAVA_FLOAT, off + i * rs + j * cs, (float) x); }
            else { v[i][j] = x; seg.setAtIndex(ValueLayout.JAVA_DOUBLE, off + i * rs + j * cs, x); }
        }
        return new Operand(new Mat(seg, off, rs, cs, rows, cols), v);
    }

    /** C views of an m x n product: full row-major, a bias row (broadcast down), a column (broadcast along), transposed, a scalar. */
    enum CLay { NONE, FULL, ROW_BIAS, COLUMN, TRANSPOSED, SCALAR }

    static Operand cOperand(Random r, DType dt, int m, int n, CLay lay) {
        return switch (lay) {
            case NONE -> null;
            case FULL -> operand(r, dt, m, n, Lay.ROW);
            case TRANSPOSED -> operand(r, dt, m, n, Lay.COL);
            case ROW_BIAS -> broadcast(operand(r, dt, 1, n, Lay.ROW), m, n, true, false);
            case COLUMN -> broadcast(operand(r, dt, m, 1, Lay.ROW), m, n, false, true);
            case SCALAR -> broadcast(operand(r, dt, 1, 1, Lay.ROW), m, n, true, true);
        };
    }

    static Operand broadcast(Operand o, int m, int n, boolean rows, boolean cols) {
        Mat x = o.mat();
        double[][] v = new double[m][n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) v[i][j] = o.values()[rows ? 0 : i][cols ? 0 : j];
        return new Operand(new Mat(x.seg(), x.off(), rows ? 0 : x.rs(), cols ? 0 : x.cs(), m, n), v);
    }

    /** Runs the product into a fresh row-major D (row stride n + 5, at offset 7, filled with NaN) and checks every element. */
    static void check(DType dt, double alpha, Operand a, Operand b, double beta, Operand c, int threads, String what) {
        int m = a.mat().rows(), k = a.mat().cols(), n = b.mat().cols();
        long ldd = n + 5, doff = 7;
        MemorySegment d = Arena.ofAuto().allocate((doff + m * ldd + 1) * dt.byteSize(), 64);
        for (long i = 0; i < doff + m * ldd; i++) {
            if (dt == DType.FLOAT32) d.setAtIndex(ValueLayout.JAVA_FLOAT, i, Float.NaN);
            else d.setAtIndex(ValueLayout.JAVA_DOUBLE, i, Double.NaN);
        }
        Blas.gemm(dt, alpha, a.mat(), b.mat(), beta, c == null ? null : c.mat(), d, doff, ldd, threads);
        double tol = dt == DType.FLOAT32 ? 2e-5 : 1e-13;
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0, scale = 0;
            for (int p = 0; p < k; p++) { s += a.values()[i][p] * b.values()[p][j]; scale += Math.abs(a.values()[i][p] * b.values()[p][j]); }
            double want = alpha * s, bound = Math.abs(alpha) * scale;
            if (c != null) { want += beta * c.values()[i][j]; bound += Math.abs(beta * c.values()[i][j]); }
            long at = doff + i * ldd + j;
            double got = dt == DType.FLOAT32 ? d.getAtIndex(ValueLayout.JAVA_FLOAT, at) : d.getAtIndex(ValueLayout.JAVA_DOUBLE, at);
            if (!(Math.abs(got - want) <= tol * bound + 1e-30))
                fail(what + ": D(" + i + ", " + j + ") = " + got + ", want " + want + " (bound " + bound + ")");
        }
        // the padding between rows and after the last row is untouched
        for (int i = 0; i < m; i++) for (long j = n; j < ldd && doff + i * ldd + j < doff + m * ldd; j++) {
            long at = doff + i * ldd + j;
            double x = dt == DType.FLOAT32 ? d.getAtIndex(ValueLayout.JAVA_FLOAT, at) : d.getAtIndex(ValueLayout.JAVA_DOUBLE, at);
            assertTrue(Double.isNaN(x), what + ": wrote past row " + i + " at column " + j);
        }
    }

    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};

    @TestFactory Stream<DynamicTest> everyOperandLayout() {
        // direct, packed with edge panels, transposed 16 x 16 blocks with remainders, K blocks (float32 KC 1024, float64 512)
        int[][] sizes = {{9, 13, 11}, {37, 41, 29}, {100, 37, 100}, {64, 64, 64}, {61, 130, 145}, {50, 1100, 70}, {13, 600, 130}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : sizes) for (DType dt : DTYPES) for (Lay la : Lay.values()) for (Lay lb : Lay.values()) {
            String name = s[0] + "x" + s[1] + "x" + s[2] + " " + dt + " A " + la + " B " + lb;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                check(dt, 1, operand(r, dt, s[0], s[1], la), operand(r, dt, s[1], s[2], lb), 0, null, 1, name);
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> narrowProductsRunTransposed() {
        // n from 1 to past one panel (float32 NR 64, float64 NR 32), m large enough to pack; and the mirror, narrow m
        int[] widths = {1, 2, 3, 5, 6, 7, 10, 16, 17, 31, 32, 33, 63, 64, 65};
        List<DynamicTest> tests = new ArrayList<>();
        for (int w : widths) for (DType dt : DTYPES) for (Lay la : new Lay[]{Lay.ROW, Lay.COL}) for (CLay cl : new CLay[]{CLay.NONE, CLay.FULL, CLay.ROW_BIAS}) {
            String name = "n=" + w + " " + dt + " A " + la + " C " + cl;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                Operand a = operand(r, dt, 150, 70, la), b = operand(r, dt, 70, w, la == Lay.ROW ? Lay.ROW : Lay.COL);
                check(dt, -0.5, a, b, 1.5, cOperand(r, dt, 150, w, cl), 1, name + " (150 x 70 x n)");
                Operand at = operand(r, dt, w, 70, la), bt = operand(r, dt, 70, 150, Lay.ROW);
                check(dt, -0.5, at, bt, 1.5, cOperand(r, dt, w, 150, cl), 1, name + " (n x 70 x 150)");
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> alphaAndBetaC() {
        double[][] ab = {{1, 0}, {1, 1}, {0, 1}, {-0.01, 1}, {1.5, -0.75}, {0, 0}};
        int[][] sizes = {{3, 4, 5}, {1, 40, 33}, {33, 40, 1}, {70, 0, 50}, {130, 90, 100}, {40, 1100, 70}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : sizes) for (DType dt : DTYPES) for (CLay cl : CLay.values()) for (double[] x : ab) {
            String name = s[0] + "x" + s[1] + "x" + s[2] + " " + dt + " alpha " + x[0] + " beta " + x[1] + " C " + cl;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Random r = new Random(name.hashCode());
                check(dt, x[0], operand(r, dt, s[0], s[1], Lay.COL), operand(r, dt, s[1], s[2], Lay.ROW), x[1], cOperand(r, dt, s[0], s[2], cl), 1, name);
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> twoThreads() {
        // above the parallel threshold: rows split, panels split (few rows), narrow transposed, K blocks, beta C
        int[][] sizes = {{300, 120, 200}, {20, 200, 900}, {2000, 200, 10}, {10, 300, 1500}, {100, 1100, 100}, {256, 256, 130}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : sizes) for (DType dt : DTYPES) for (Lay la : new Lay[]{Lay.ROW, Lay.COL}) for (Lay lb : new Lay[]{Lay.ROW, Lay.COL}) {
            String name = s[0] + "x" + s[1] + "x" + s[2] + " " + dt + " A " + la + " B " + lb + " on 2 threads";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Pool.setParallelism(2);
                Random r = new Random(name.hashCode());
                Operand a = operand(r, dt, s[0], s[1], la), b = operand(r, dt, s[1], s[2], lb);
                check(dt, -0.01, a, b, 1, cOperand(r, dt, s[0], s[2], CLay.FULL), 2, name);
                check(dt, 1, a, b, 1, cOperand(r, dt, s[0], s[2], CLay.ROW_BIAS), 2, name + " + bias");
                check(dt, 1, a, b, 0, null, 2, name + " plain");
            }));
        }
        return tests.stream();
    }

    @Test void concurrentProductsFromSeveralCallers() throws Exception {
        // more callers than cores, each product split among threads: the pool takes over parts no worker started, and
        // the threads of a product claim work as they go; every result must still be exact to the tolerance
        Pool.setParallelism(2);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] callers = new Thread[4];
        for (int c = 0; c < callers.length; c++) {
            int id = c;
            callers[c] = new Thread(() -> {
                try {
                    Random r = new Random(id);
                    for (int rep = 0; rep < 6; rep++) {
                        DType dt = rep % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
                        int m = 100 + 37 * rep + id, k = 150 + 60 * id, n = rep == 3 ? 10 : 180;
                        Operand a = operand(r, dt, m, k, rep % 3 == 0 ? Lay.COL : Lay.ROW), b = operand(r, dt, k, n, id % 2 == 0 ? Lay.ROW : Lay.COL);
                        check(dt, -0.25, a, b, 1, cOperand(r, dt, m, n, CLay.FULL), 2, "caller " + id + " product " + rep);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join();
        if (!failures.isEmpty()) throw new AssertionError(failures.get(0));
    }

    @Test void aFailingThreadStopsTheOthersAndReachesTheCaller() {
        // B claims more rows than its storage holds: packing the panels past the end throws on whichever thread packs
        // them; the other thread must not wait forever for that work, and the caller sees the out-of-bounds read
        Pool.setParallelism(2);
        Random r = new Random(4);
        Operand a = operand(r, DType.FLOAT32, 300, 400, Lay.ROW), b = operand(r, DType.FLOAT32, 200, 600, Lay.ROW);
        Mat tooLong = new Mat(b.mat().seg(), b.mat().off(), b.mat().rs(), 1, 400, 600);
        MemorySegment d = Arena.ofAuto().allocate(300L * 600 * 4, 64);
        Throwable e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertThrows(RuntimeException.class, () -> Blas.gemm(DType.FLOAT32, 1, a.mat(), tooLong, 0, null, d, 0, 600, 2)));
        Throwable root = e;
        while (!(root instanceof IndexOutOfBoundsException) && root.getCause() != null) root = root.getCause();
        assertInstanceOf(IndexOutOfBoundsException.class, root, "the out-of-bounds read is the reported cause: " + e);
    }

    @Test void theTrainingStepShapes() {
        // the products of a 784-1024-1024-10 MLP step at batch 64 (float32): forward with bias, backward through a
        // transposed weight, weight updates W - 0.01 x^T d with a transposed A, and the narrow last layer
        Random r = new Random(11);
        DType f = DType.FLOAT32;
        for (int threads : new int[]{1, 2}) {
            Pool.setParallelism(threads);
            Operand x = operand(r, f, 64, 784, Lay.ROW), w1 = operand(r, f, 784, 256, Lay.ROW), h = operand(r, f, 64, 256, Lay.ROW);
            Operand w3 = operand(r, f, 256, 10, Lay.ROW), d = operand(r, f, 64, 256, Lay.ROW), d3 = operand(r, f, 64, 10, Lay.ROW);
            check(f, 1, x, w1, 1, cOperand(r, f, 64, 256, CLay.ROW_BIAS), threads, "x W1 + b1");
            check(f, 1, h, w3, 1, cOperand(r, f, 64, 10, CLay.ROW_BIAS), threads, "h W3 + b3");
            check(f, 1, d, transpose(w1), 0, null, threads, "d W1^T");
            check(f, 1, d3, transpose(w3), 0, null, threads, "d3 W3^T");
            check(f, -0.01, transpose(x), d, 1, w1, threads, "W1 - 0.01 x^T d");
            check(f, -0.01, transpose(h), d3, 1, w3, threads, "W3 - 0.01 h^T d3");
        }
    }

    static Operand transpose(Operand o) {
        double[][] v = o.values(), t = new double[v[0].length][v.length];
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v[0].length; j++) t[j][i] = v[i][j];
        return new Operand(o.mat().t(), t);
    }

    @Test void packedBTransposesEveryBlockAndRemainder() {
        // the 16 x 16 (float64: 8 x 8) register transpose against a direct read, for panel widths and depths around the block size
        Random r = new Random(3);
        for (int kc : new int[]{1, 15, 16, 17, 40, 64}) for (int nr : new int[]{1, 15, 16, 17, 33, Sgemm.NR}) {
            Operand b = operand(r, DType.FLOAT32, kc + 5, nr + 7, Lay.COL);
            float[] dst = new float[kc * Sgemm.NR];
            java.util.Arrays.fill(dst, Float.NaN);
            SgemmPack.packB(b.mat(), 2, kc, 3, nr, dst, 0);
            for (int p = 0; p < kc; p++) for (int j = 0; j < Sgemm.NR; j++)
                assertEquals(j < nr ? (float) b.values()[2 + p][3 + j] : 0f, dst[p * Sgemm.NR + j], "float32 kc " + kc + " nr " + nr + " at (" + p + ", " + j + ")");
            Operand bd = operand(r, DType.FLOAT64, kc + 5, Math.min(nr, Dgemm.NR) + 7, Lay.COL);
            int nd = Math.min(nr, Dgemm.NR);
            double[] dd = new double[kc * Dgemm.NR];
            java.util.Arrays.fill(dd, Double.NaN);
            DgemmPack.packB(bd.mat(), 2, kc, 3, nd, dd, 0);
            for (int p = 0; p < kc; p++) for (int j = 0; j < Dgemm.NR; j++)
                assertEquals(j < nd ? bd.values()[2 + p][3 + j] : 0.0, dd[p * Dgemm.NR + j], "float64 kc " + kc + " nr " + nd + " at (" + p + ", " + j + ")");
        }
    }
}
