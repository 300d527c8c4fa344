package dev.theon.simd.blas;

import dev.theon.simd.Pool;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * float64 matrix products {@code C = A B} (C overwritten; A and B of any strides, so transposes cost nothing).
 * <p>
 * Large products are packed, cache-blocked and register-tiled, in the BLIS loop order: B is packed KC x NC at a time
 * into KC x NR panels, A MC x KC at a time into MR x KC panels, and a 6 x 32 micro-kernel (6 broadcast rows of A
 * times 4 vectors of B: 24 accumulators held in registers) runs over the panels, B panel outer, A panel inner. With
 * several threads, each (KC, NC) block of B is packed once, by all threads together, into one of two shared buffers
 * (so packing the next block never waits for the last one to be used); the threads then split the rows of C (or,
 * when C has few rows, the panels of B). Products too small to repay packing run a direct vector loop, and
 * matrix-vector products run {@link #gemv}.
 */
public final class Dgemm {
    private Dgemm() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6, NR = 4 * L;
    static final int KC = 512, MC = 96, NC = 4096;
    /** Bytes per element. */
    static final int ES = 8;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many multiply-adds a product runs unpacked. */
    static final long DIRECT_MAX = 40L * 40 * 40;
    /** From this many multiply-adds a product is split among threads. */
    static final long PARALLEL_MIN = 1L << 21;

    /** C (row-major with row stride {@code ldc}, at {@code co}) = A B. */
    public static void gemm(Mat a, Mat b, MemorySegment c, long co, long ldc) { gemm(a, b, c, co, ldc, Pool.parallelism()); }

    /** As {@link #gemm(Mat, Mat, MemorySegment, long, long)} on at most {@code maxThreads} threads. */
    public static void gemm(Mat a, Mat b, MemorySegment c, long co, long ldc, int maxThreads) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (m == 0 || n == 0) return;
        if (k == 0) { zero(c, co, ldc, m, n); return; }
        if (n == 1) { gemv(a, b.seg(), b.off(), b.rs(), c, co, ldc, maxThreads); return; }
        if (m == 1) { gemv(b.t(), a.seg(), a.off(), a.cs(), c, co, 1, maxThreads); return; }
        long work = (long) m * n * k;
        if (work <= DIRECT_MAX) { direct(a, b, c, co, ldc); return; }
        int threads = work < PARALLEL_MIN ? 1 : Math.min(maxThreads, Pool.parallelism());
        if (threads == 1) { packed(a, b, c, co, ldc, 0, 1, null, null); return; }
        Pool.Team team = Pool.team(threads);
        int t = team.size();
        if (t == 1) { team.run((p, q) -> packed(a, b, c, co, ldc, 0, 1, null, null)); return; }
        CyclicBarrier barrier = new CyclicBarrier(t);
        double[][] shared = Buffers.sharedBD(2, Math.min(KC, k) * roundUp(Math.min(NC, n), NR));
        team.run((p, q) -> {
            try {
                packed(a, b, c, co, ldc, p, q, barrier, shared);
            } catch (RuntimeException | Error e) {
                barrier.reset();  // release the others from the barrier
                throw e;
            }
        });
    }

    static int roundUp(int x, int m) { return (x + m - 1) / m * m; }

    private static void zero(MemorySegment c, long co, long ldc, int m, int n) {
        for (int i = 0; i < m; i++) c.asSlice((co + i * ldc) * ES, (long) n * ES).fill((byte) 0);
    }

    // ---------------------------------------------------------------- packed product

    /**
     * Thread {@code tid} of {@code nt}'s share of the packed product. With one thread it packs its own B; with several
     * they pack each B block together into {@code shared[iteration % 2]}, meet at the barrier, then compute.
     */
    private static void packed(Mat a, Mat b, MemorySegment c, long co, long ldc, int tid, int nt, CyclicBarrier barrier, double[][] shared) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        double[] ap = Buffers.packAD(MC * Math.min(KC, k));
        double[] tile = new double[MR * NR];
        double[] own = nt == 1 ? Buffers.packBD(Math.min(KC, k) * roundUp(Math.min(NC, n), NR)) : null;
        // split the rows of C among threads when there are enough of them, else the B panels
        boolean byRows = m >= nt * 2 * MR;
        int r0 = 0, r1 = m;
        if (byRows && nt > 1) {
            int blocks = (m + MR - 1) / MR;
            r0 = Math.min(m, blocks * tid / nt * MR);
            r1 = Math.min(m, blocks * (tid + 1) / nt * MR);
        }
        int iteration = 0;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC, iteration++) {
                int kc = Math.min(KC, k - pc);
                double[] bp = nt == 1 ? own : shared[iteration & 1];
                // each thread packs its share of the panels of this B block
                for (int jp = panels * tid / nt; jp < panels * (tid + 1) / nt; jp++) packB(b, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR), bp, jp * kc * NR);
                if (nt > 1) await(barrier);
                boolean add = pc > 0;
                int j0 = 0, j1 = panels;
                if (!byRows && nt > 1) { j0 = panels * tid / nt; j1 = panels * (tid + 1) / nt; }
                for (int ic = r0; ic < r1; ic += MC) {
                    int mc = Math.min(MC, r1 - ic);
                    packA(a, ic, mc, pc, kc, ap);
                    for (int jp = j0; jp < j1; jp++) {
                        int nr = Math.min(NR, nc - jp * NR);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            kernel(ap, ir * kc, bp, jp * kc * NR, kc, c, co + (ic + ir) * ldc + jc + jp * NR, ldc, mr, nr, add, tile);
                        }
                    }
                }
            }
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("gemm interrupted", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another gemm thread failed", e);
        }
    }

    /** Packs B[pc:pc+kc, j:j+nr] into dst[d..] as kc rows of NR values (columns past nr are zero). */
    static void packB(Mat b, int pc, int kc, int j, int nr, double[] dst, int d) {
        MemorySegment s = b.seg();
        long base = b.off() + pc * b.rs() + j * b.cs();
        if (b.cs() == 1 && nr == NR) {
            for (int p = 0; p < kc; p++) {
                long o = (base + p * b.rs()) * ES;
                for (int v = 0; v < NR; v += L) DoubleVector.fromMemorySegment(S, s, o + (long) v * ES, ORDER).intoArray(dst, d + p * NR + v);
            }
            return;
        }
        if (b.cs() == 1) {
            for (int p = 0; p < kc; p++) {
                long o = base + p * b.rs();
                int q = d + p * NR;
                for (int jj = 0; jj < nr; jj++) dst[q + jj] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + jj);
                for (int jj = nr; jj < NR; jj++) dst[q + jj] = 0;
            }
            return;
        }
        // columns of B are contiguous (a transposed operand) or strided: walk each column down
        for (int jj = 0; jj < NR; jj++) {
            if (jj >= nr) { for (int p = 0; p < kc; p++) dst[d + p * NR + jj] = 0; continue; }
            long o = base + jj * b.cs();
            for (int p = 0; p < kc; p++) dst[d + p * NR + jj] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + p * b.rs());
        }
    }

    /** Packs A[i:i+mc, pc:pc+kc] into dst as panels of MR rows, each kc columns of MR values (rows past mc are zero). */
    static void packA(Mat a, int i, int mc, int pc, int kc, double[] dst) {
        MemorySegment s = a.seg();
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir), d = ir * kc;
            for (int r = 0; r < MR; r++) {
                if (r >= mr) { for (int p = 0; p < kc; p++) dst[d + p * MR + r] = 0; continue; }
                long o = a.off() + (long) (i + ir + r) * a.rs() + (long) pc * a.cs();
                long cs = a.cs();
                for (int p = 0; p < kc; p++) dst[d + p * MR + r] = s.getAtIndex(ValueLayout.JAVA_DOUBLE, o + p * cs);
            }
        }
    }

    /** The 6 x NR micro-kernel: C[0:mr, 0:nr] (+)= Apanel (6 x kc) * Bpanel (kc x NR), accumulated in 24 registers. */
    static void kernel(double[] a, int ao, double[] b, int bo, int kc, MemorySegment c, long co, long ldc, int mr, int nr, boolean add, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        DoubleVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        DoubleVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        // indices as functions of p, so C2 can hoist the range checks out of the loop
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi), b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bi + 2 * L), b3 = DoubleVector.fromArray(S, b, bi + 3 * L);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = DoubleVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = DoubleVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = DoubleVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = DoubleVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = DoubleVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        // the accumulators go to the tile array, not to a helper: a vector that escapes into a call C2 does not
        // inline is boxed (and the boxing reaches back into the loop), and writing C here as well makes the method
        // too big for C1, which then leaves it to the interpreter until C2 compiles it
        c00.intoArray(tile, 0 * NR + 0 * L);
        c01.intoArray(tile, 0 * NR + 1 * L);
        c02.intoArray(tile, 0 * NR + 2 * L);
        c03.intoArray(tile, 0 * NR + 3 * L);
        c10.intoArray(tile, 1 * NR + 0 * L);
        c11.intoArray(tile, 1 * NR + 1 * L);
        c12.intoArray(tile, 1 * NR + 2 * L);
        c13.intoArray(tile, 1 * NR + 3 * L);
        c20.intoArray(tile, 2 * NR + 0 * L);
        c21.intoArray(tile, 2 * NR + 1 * L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR + 0 * L);
        c31.intoArray(tile, 3 * NR + 1 * L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR + 0 * L);
        c41.intoArray(tile, 4 * NR + 1 * L);
        c42.intoArray(tile, 4 * NR + 2 * L);
        c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR + 0 * L);
        c51.intoArray(tile, 5 * NR + 1 * L);
        c52.intoArray(tile, 5 * NR + 2 * L);
        c53.intoArray(tile, 5 * NR + 3 * L);
        flush(tile, c, co, ldc, mr, nr, add);
    }

    /** Writes (or, with {@code add}, adds) the first mr rows and nr columns of the tile into C. */
    private static void flush(double[] t, MemorySegment c, long co, long ldc, int mr, int nr, boolean add) {
        for (int r = 0; r < mr; r++) {
            long o = (co + r * ldc) * ES;
            for (int j = 0; j < nr; j += L) {
                long at = o + (long) j * ES;
                if (j + L <= nr) {
                    DoubleVector v = DoubleVector.fromArray(S, t, r * NR + j);
                    if (add) v = v.add(DoubleVector.fromMemorySegment(S, c, at, ORDER));
                    v.intoMemorySegment(c, at, ORDER);
                } else {
                    VectorMask<Double> m = S.indexInRange(j, nr);
                    DoubleVector v = DoubleVector.fromArray(S, t, r * NR + j, m);
                    if (add) v = v.add(DoubleVector.fromMemorySegment(S, c, at, ORDER, m));
                    v.intoMemorySegment(c, at, ORDER, m);
                }
            }
        }
    }

    // ---------------------------------------------------------------- small products and matrix-vector

    /** Unpacked product for small sizes: each row of C accumulated from rows of B (vectors along C's rows). */
    static void direct(Mat a, Mat b, MemorySegment c, long co, long ldc) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        MemorySegment as = a.seg(), bs = b.seg();
        if (b.cs() != 1) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s = Math.fma(as.getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs()),
                            bs.getAtIndex(ValueLayout.JAVA_DOUBLE, b.off() + p * b.rs() + j * b.cs()), s);
                c.setAtIndex(ValueLayout.JAVA_DOUBLE, co + i * ldc + j, s);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            long crow = (co + i * ldc) * ES;
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> msk = S.indexInRange(j, n);
                DoubleVector acc = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    double x = as.getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs());
                    acc = DoubleVector.fromMemorySegment(S, bs, (b.off() + p * b.rs() + j * b.cs()) * ES, ORDER, msk).fma(DoubleVector.broadcast(S, x), acc);
                }
                acc.intoMemorySegment(c, crow + (long) j * ES, ORDER, msk);
            }
        }
    }

    /** y[i * ys] = sum_p A[i, p] x[p * xs], for i < A.rows (y at storage index yo of {@code y}). */
    public static void gemv(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, int maxThreads) {
        int m = a.rows(), k = a.cols();
        long work = (long) m * k;
        int parts = work < (1 << 18) ? 1 : Math.min(maxThreads, Pool.parallelism());
        if (a.cs() == 1 && xs == 1) {
            // rows of A are contiguous: one dot product per row
            Pool.run(Math.min(parts, m), (p, q) -> {
                for (int i = m * p / q; i < m * (p + 1) / q; i++)
                    y.setAtIndex(ValueLayout.JAVA_DOUBLE, yo + i * ys, dot(a.seg(), a.off() + i * a.rs(), x, xo, k));
            });
            return;
        }
        if (a.rs() == 1 && ys == 1) {
            // columns of A are contiguous: y accumulates x[p] times each column, split by rows of y
            Pool.run(Math.min(parts, Math.max(1, m / (4 * L))), (p, q) -> {
                int i0 = m * p / q / L * L, i1 = p == q - 1 ? m : m * (p + 1) / q / L * L;
                axpyColumns(a, x, xo, xs, y, yo, i0, i1);
            });
            return;
        }
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int p = 0; p < k; p++)
                s = Math.fma(a.seg().getAtIndex(ValueLayout.JAVA_DOUBLE, a.off() + i * a.rs() + p * a.cs()), x.getAtIndex(ValueLayout.JAVA_DOUBLE, xo + p * xs), s);
            y.setAtIndex(ValueLayout.JAVA_DOUBLE, yo + i * ys, s);
        }
    }

    private static void axpyColumns(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, int i0, int i1) {
        int k = a.cols();
        MemorySegment as = a.seg();
        for (int i = i0; i < i1; i += L) {
            VectorMask<Double> msk = S.indexInRange(i, i1);
            DoubleVector acc = DoubleVector.zero(S);
            for (int p = 0; p < k; p++) {
                double xv = x.getAtIndex(ValueLayout.JAVA_DOUBLE, xo + p * xs);
                acc = DoubleVector.fromMemorySegment(S, as, (a.off() + i + p * a.cs()) * ES, ORDER, msk).fma(DoubleVector.broadcast(S, xv), acc);
            }
            acc.intoMemorySegment(y, (yo + i) * ES, ORDER, msk);
        }
    }

    /** sum_p a[ao + p] * x[xo + p] over n contiguous elements, with four vector accumulators. */
    public static double dot(MemorySegment a, long ao, MemorySegment x, long xo, int n) {
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        long ab = ao * ES, xb = xo * ES;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            long o = (long) ES * i;
            s0 = DoubleVector.fromMemorySegment(S, a, ab + o, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o, ORDER), s0);
            s1 = DoubleVector.fromMemorySegment(S, a, ab + o + (long) ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + (long) ES * L, ORDER), s1);
            s2 = DoubleVector.fromMemorySegment(S, a, ab + o + 2L * ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + 2L * ES * L, ORDER), s2);
            s3 = DoubleVector.fromMemorySegment(S, a, ab + o + 3L * ES * L, ORDER).fma(DoubleVector.fromMemorySegment(S, x, xb + o + 3L * ES * L, ORDER), s3);
        }
        for (; i < n; i += L) {
            VectorMask<Double> m = S.indexInRange(i, n);
            s0 = DoubleVector.fromMemorySegment(S, a, ab + (long) ES * i, ORDER, m).fma(DoubleVector.fromMemorySegment(S, x, xb + (long) ES * i, ORDER, m), s0);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
}
