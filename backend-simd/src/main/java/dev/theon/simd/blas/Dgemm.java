package dev.theon.simd.blas;

import dev.theon.simd.Pool;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.CyclicBarrier;

/**
 * float64 matrix products {@code D = alpha A B + beta C} (A and B of any strides, so transposes cost nothing; C
 * optional and broadcastable).
 * <p>
 * Large products are packed, cache-blocked and register-tiled, in the BLIS loop order: B is packed KC x NC at a time
 * into KC x NR panels, A MC x KC at a time into MR x KC panels ({@link DgemmPack}, with vector paths for row-major
 * and transposed operands), and a 6 x 32 micro-kernel ({@link DgemmTile}: 6 broadcast rows of A times 4 vectors of B,
 * 24 accumulators in registers) runs over the panels, B panel outer, A panel inner; it writes each tile once, with
 * alpha and beta C applied. A product with few columns (fewer than a panel's width) runs transposed,
 * {@code D^T = B^T A^T}, so that the short side is padded to MR rows rather than to NR columns. With several
 * threads, each (KC, NC) block of B is packed once, by all threads together, into one of two shared buffers; the
 * threads then split the rows of D (or, when D has few rows, the panels of B) ({@link GemmPlan}). Products too small
 * to repay packing, and matrix-vector products, run {@link DgemmSmall}.
 */
public final class Dgemm {
    private Dgemm() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6, NR = 4 * L;
    static final int KC = 512, MC = 96, NC = 4096;
    /** Bytes per element. */
    static final int ES = 8;
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Below this many multiply-adds a product runs unpacked. */
    static final long DIRECT_MAX = 40L * 40 * 40;
    /** From this many multiply-adds a product is split among threads. */
    static final long PARALLEL_MIN = 1L << 21;

    /** C (row-major with row stride {@code ldc}, at {@code co}) = A B. */
    public static void gemm(Mat a, Mat b, MemorySegment c, long co, long ldc) { gemm(a, b, c, co, ldc, Pool.parallelism()); }

    /** As {@link #gemm(Mat, Mat, MemorySegment, long, long)} on at most {@code maxThreads} threads. */
    public static void gemm(Mat a, Mat b, MemorySegment c, long co, long ldc, int maxThreads) { gemm(a, b, Target.of(c, co, ldc), maxThreads); }

    /**
     * D (row-major with row stride {@code ldd}, at {@code dOff}) = alpha A B + beta C, C a (possibly broadcast) view of
     * D's shape or null (then D = alpha A B), on at most {@code maxThreads} threads. D must not overlap A, B or C.
     */
    public static void gemm(double alpha, Mat a, Mat b, double beta, Mat c, MemorySegment d, long dOff, long ldd, int maxThreads) {
        gemm(a, b, Target.of(alpha, beta, c, d, dOff, ldd), maxThreads);
    }

    /** y[i * ys] = sum_p A[i, p] x[p * xs], for i < A.rows (y at storage index yo of {@code y}). */
    public static void gemv(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, int maxThreads) {
        DgemmSmall.gemv(a, x, xo, xs, y, yo, ys, maxThreads);
    }

    static void gemm(Mat a, Mat b, Target t, int maxThreads) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (m == 0 || n == 0) return;
        if (k == 0) { DgemmSmall.epilogue(t, m, n, false); return; }
        if (n == 1) {
            DgemmSmall.gemv(a, b.seg(), b.off(), b.rs(), t.d(), t.doff(), t.drs(), maxThreads);
            if (!t.plain()) DgemmSmall.epilogue(t, m, 1, true);
            return;
        }
        if (m == 1) {
            DgemmSmall.gemv(b.t(), a.seg(), a.off(), a.cs(), t.d(), t.doff(), t.dcs(), maxThreads);
            if (!t.plain()) DgemmSmall.epilogue(t, 1, n, true);
            return;
        }
        long work = (long) m * n * k;
        if (work <= DIRECT_MAX) {
            DgemmSmall.direct(a, b, t);
            if (!t.plain()) DgemmSmall.epilogue(t, m, n, true);
            return;
        }
        if (GemmPlan.transposes(m, n, MR, NR)) { Mat x = a; a = b.t(); b = x.t(); t = t.t(); }
        int threads = work < PARALLEL_MIN ? 1 : Math.min(maxThreads, Pool.parallelism());
        if (threads == 1) { packed(a, b, t, 0, 1, null, null); return; }
        Pool.Team team = Pool.team(threads);
        int nt = team.size();
        Mat fa = a, fb = b;
        Target ft = t;
        if (nt == 1) { team.run((p, q) -> packed(fa, fb, ft, 0, 1, null, null)); return; }
        CyclicBarrier barrier = new CyclicBarrier(nt);
        double[][] shared = Buffers.sharedBD(2, GemmPlan.kc(k, KC) * GemmPlan.roundUp(Math.min(NC, fb.cols()), NR));
        team.run((p, q) -> {
            try {
                packed(fa, fb, ft, p, q, barrier, shared);
            } catch (RuntimeException | Error e) {
                barrier.reset();  // release the others from the barrier
                throw e;
            }
        });
    }

    /**
     * Thread {@code tid} of {@code nt}'s share of the packed product. With one thread it packs its own B; with several
     * they pack each B block together into {@code shared[iteration % 2]}, meet at the barrier, then compute.
     */
    private static void packed(Mat a, Mat b, Target t, int tid, int nt, CyclicBarrier barrier, double[][] shared) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        int kcs = GemmPlan.kc(k, KC);
        double[] ap = Buffers.packAD(MC * kcs + L);  // packA's stores may run L values past the last panel
        double[] tile = new double[MR * NR];
        double[] own = nt == 1 ? Buffers.packBD(kcs * GemmPlan.roundUp(Math.min(NC, n), NR)) : null;
        // threads split the rows of D when there are enough of them, else the panels of each B block
        boolean byRows = GemmPlan.byRows(m, MR, nt);
        int r0 = byRows ? GemmPlan.rowStart(m, MR, tid, nt) : 0, r1 = byRows ? GemmPlan.rowStart(m, MR, tid + 1, nt) : m;
        int iteration = 0;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcs, iteration++) {
                int kc = Math.min(kcs, k - pc);
                double[] bp = nt == 1 ? own : shared[iteration & 1];
                // each thread packs its share of the panels of this B block
                for (int jp = panels * tid / nt; jp < panels * (tid + 1) / nt; jp++) DgemmPack.packB(b, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR), bp, jp * kc * NR);
                if (nt > 1) GemmPlan.await(barrier);
                boolean first = pc == 0;
                int j0 = byRows ? 0 : panels * tid / nt, j1 = byRows ? panels : panels * (tid + 1) / nt;
                for (int ic = r0; ic < r1; ic += MC) {
                    int mc = Math.min(MC, r1 - ic);
                    DgemmPack.packA(a, ic, mc, pc, kc, ap);
                    for (int jp = j0; jp < j1; jp++) {
                        int nr = Math.min(NR, nc - jp * NR);
                        for (int ir = 0; ir < mc; ir += MR)
                            DgemmTile.kernel(ap, ir * kc, bp, jp * kc * NR, kc, t, ic + ir, jc + jp * NR, Math.min(MR, mc - ir), nr, first, tile);
                    }
                }
            }
        }
    }
}
