package dev.theon.simd.blas;

import dev.theon.simd.Pool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * float32 matrix products {@code D = alpha A B + beta C} (A and B of any strides, so transposes cost nothing; C
 * optional and broadcastable).
 * <p>
 * Large products are packed, cache-blocked and register-tiled, in the BLIS loop order: B is packed KC x NC at a time
 * into KC x NR panels, A MC x KC at a time into MR x KC panels ({@link SgemmPack}, with vector paths for row-major
 * and transposed operands), and a 6 x 64 micro-kernel ({@link SgemmTile}: 6 broadcast rows of A times 4 vectors of B,
 * 24 accumulators in registers) runs over the panels, B panel outer, A panel inner; it writes each tile once, with
 * alpha and beta C applied. A product with few columns (fewer than a panel's width) runs transposed,
 * {@code D^T = B^T A^T}, so that the short side is padded to MR rows rather than to NR columns. With several
 * threads, each (KC, NC) block of B is packed once, by all threads together, into one of two shared buffers; the
 * threads then share the rows of D (or, when D has few rows, the panels of B), claiming chunks as they go
 * ({@link GemmSchedule}). Products too small
 * to repay packing, and matrix-vector products, run {@link SgemmSmall}.
 */
public final class Sgemm {
    private Sgemm() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6, NR = 4 * L;
    static final int KC = 1024, MC = 96, NC = 4096;
    /** Bytes per element. */
    static final int ES = 4;
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
    public static void gemm(float alpha, Mat a, Mat b, float beta, Mat c, MemorySegment d, long dOff, long ldd, int maxThreads) {
        gemm(a, b, Target.of(alpha, beta, c, d, dOff, ldd), maxThreads);
    }

    /** y[i * ys] = sum_p A[i, p] x[p * xs], for i < A.rows (y at storage index yo of {@code y}). */
    public static void gemv(Mat a, MemorySegment x, long xo, long xs, MemorySegment y, long yo, long ys, int maxThreads) {
        SgemmSmall.gemv(a, x, xo, xs, y, yo, ys, maxThreads);
    }

    static void gemm(Mat a, Mat b, Target t, int maxThreads) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        if (m == 0 || n == 0) return;
        if (k == 0) { SgemmSmall.epilogue(t, m, n, false); return; }
        if (n == 1) {
            SgemmSmall.gemv(a, b.seg(), b.off(), b.rs(), t.d(), t.doff(), t.drs(), maxThreads);
            if (!t.plain()) SgemmSmall.epilogue(t, m, 1, true);
            return;
        }
        if (m == 1) {
            SgemmSmall.gemv(b.t(), a.seg(), a.off(), a.cs(), t.d(), t.doff(), t.dcs(), maxThreads);
            if (!t.plain()) SgemmSmall.epilogue(t, 1, n, true);
            return;
        }
        long work = (long) m * n * k;
        if (work <= DIRECT_MAX) {
            SgemmSmall.direct(a, b, t);
            if (!t.plain()) SgemmSmall.epilogue(t, m, n, true);
            return;
        }
        if (GemmPlan.transposes(m, n, MR, NR)) { Mat x = a; a = b.t(); b = x.t(); t = t.t(); }
        int threads = work < PARALLEL_MIN ? 1 : Math.min(maxThreads, Pool.parallelism());
        if (threads == 1) { single(a, b, t); return; }
        Pool.Team team = Pool.team(threads);
        Mat fa = a, fb = b;
        Target ft = t;
        if (team.size() == 1) { team.run((p, q) -> single(fa, fb, ft)); return; }
        int kcs = GemmPlan.kc(k, KC);
        GemmSchedule s = new GemmSchedule(fa.rows(), fb.cols(), k, kcs, NC, MC, MR, NR, team.size());
        float[][] shared = Buffers.sharedB(2, kcs * GemmPlan.roundUp(Math.min(NC, fb.cols()), NR));
        team.run((p, q) -> {
            try {
                shared(fa, fb, ft, s, shared);
            } catch (RuntimeException | Error e) {
                s.fail(e);  // release the others from waiting for this thread's work
                throw e;
            }
        });
    }

    /**
     * The packed product on one thread: each B panel is packed just before its first use, so the micro-kernels that
     * follow read it from cache rather than from a buffer written out to memory a moment before.
     */
    private static void single(Mat a, Mat b, Target t) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        int kcs = GemmPlan.kc(k, KC);
        float[] ap = Buffers.packA(MC * kcs + L);  // packA's stores may run L floats past the last panel
        float[] bp = Buffers.packB(kcs * GemmPlan.roundUp(Math.min(NC, n), NR));
        float[] tile = new float[MR * NR];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), panels = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += kcs) {
                int kc = Math.min(kcs, k - pc);
                block(a, b, t, ap, bp, jc, nc, pc, kc, 0, m, 0, panels, true, tile);
            }
        }
    }

    /**
     * One thread's part of a product split by {@link GemmSchedule}: for each block of B, the claimed panels are packed
     * into the shared buffer of the block ({@code shared[iteration % 2]}, so the next block can be packed while the
     * last is still in use), then claimed chunks of rows (or of panels) are computed.
     */
    private static void shared(Mat a, Mat b, Target t, GemmSchedule s, float[][] shared) {
        int m = a.rows();
        float[] ap = Buffers.packA(MC * s.kcs + L);
        float[] tile = new float[MR * NR];
        for (int it = 0; it < s.iterations(); it++) {
            int jc = s.jc(it), nc = s.ncAt(it), pc = s.pc(it), kc = s.kcAt(it);
            float[] bp = shared[it & 1];
            if (it >= 2) s.awaitDone(it - 2);  // the block that last used this buffer is done
            for (int jp; (jp = s.claimPack(it)) >= 0; s.packedOne(it)) SgemmPack.packB(b, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR), bp, jp * kc * NR);
            s.awaitPacked(it);
            if (pc > 0) s.awaitDone(it - 1);  // this K block adds to the tiles the last one wrote
            for (long chunk; (chunk = s.claim(it)) >= 0; ) {
                int first = (int) (chunk >>> 32), count = (int) chunk;
                if (s.byRows) block(a, b, t, ap, bp, jc, nc, pc, kc, first * MR, Math.min(m, (first + count) * MR), 0, s.panels(it), false, tile);
                else block(a, b, t, ap, bp, jc, nc, pc, kc, 0, m, first, first + count, false, tile);
                s.doneWith(it, count);
            }
        }
    }

    /**
     * Rows [r0, r1) of D against panels [j0, j1) of the packed B block at (pc, jc): A packed MC rows at a time, then the
     * micro-kernel over the panels (outer) and A's micro-panels (inner), so one B panel serves all of them from cache.
     * With {@code packB}, each B panel is packed on its way to the first MC rows.
     */
    private static void block(Mat a, Mat b, Target t, float[] ap, float[] bp, int jc, int nc, int pc, int kc, int r0, int r1, int j0, int j1, boolean packB, float[] tile) {
        boolean first = pc == 0;
        for (int ic = r0; ic < r1; ic += MC) {
            int mc = Math.min(MC, r1 - ic);
            SgemmPack.packA(a, ic, mc, pc, kc, ap);
            if (GemmPlan.rowsOuter(t, first, kc, nc, ES)) {
                // each micro-panel of A against every panel: the tiles go along rows of D and C, which the prefetchers follow
                if (packB && ic == r0) for (int jp = j0; jp < j1; jp++) SgemmPack.packB(b, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR), bp, jp * kc * NR);
                for (int ir = 0; ir < mc; ir += MR)
                    for (int jp = j0; jp < j1; jp++)
                        SgemmTile.kernel(ap, ir * kc, bp, jp * kc * NR, kc, t, ic + ir, jc + jp * NR, Math.min(MR, mc - ir), Math.min(NR, nc - jp * NR), first, tile);
                continue;
            }
            for (int jp = j0; jp < j1; jp++) {
                int nr = Math.min(NR, nc - jp * NR);
                if (packB && ic == r0) SgemmPack.packB(b, pc, kc, jc + jp * NR, nr, bp, jp * kc * NR);
                for (int ir = 0; ir < mc; ir += MR)
                    SgemmTile.kernel(ap, ir * kc, bp, jp * kc * NR, kc, t, ic + ir, jc + jp * NR, Math.min(MR, mc - ir), nr, first, tile);
            }
        }
    }
}
