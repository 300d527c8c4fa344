package dev.theon.simd.blas;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Who does what in one product split among threads, decided while it runs rather than in advance: on a machine
 * shared with other work a thread can lose its core for milliseconds, and a fixed split would make the others wait
 * for its share. The product runs block by block of B (its NC columns by KC rows: an "iteration"); in each, the
 * threads claim B panels to pack into the shared buffer, then claim chunks of the work (micro-panel rows of D, or B
 * panels when D has few rows) in guided sizes, large first and smaller as the work runs out. A thread only ever waits
 * for work another thread has claimed and is doing, never for a thread that has not started, so a late thread finds
 * the early work done and joins where the others are.
 */
final class GemmSchedule {
    final int m, n, k, kcs, nc, mr, nr, threads;
    /** Whether chunks are rows of D (micro-panels of mr rows), else panels of B. */
    final boolean byRows;
    private final int blocksN, blocksK;
    /** Per iteration: B panels claimed for packing, B panels packed, work units claimed, work units done. */
    private final AtomicIntegerArray packNext, packed, claimNext, done;
    /** The most units one chunk takes (rows: what one packed A block holds). */
    private final int maxChunk;
    /** Set when a thread failed: the others stop waiting for work it will not finish. */
    private volatile Throwable failed;

    GemmSchedule(int m, int n, int k, int kcs, int ncMax, int mcMax, int mr, int nr, int threads) {
        this.m = m; this.n = n; this.k = k; this.kcs = kcs; this.nc = ncMax; this.mr = mr; this.nr = nr; this.threads = threads;
        this.byRows = GemmPlan.byRows(m, mr, threads);
        this.blocksN = (n + ncMax - 1) / ncMax;
        this.blocksK = (k + kcs - 1) / kcs;
        int it = blocksN * blocksK;
        packNext = new AtomicIntegerArray(it);
        packed = new AtomicIntegerArray(it);
        claimNext = new AtomicIntegerArray(it);
        done = new AtomicIntegerArray(it);
        maxChunk = byRows ? Math.max(1, mcMax / mr) : Integer.MAX_VALUE;
    }

    int iterations() { return blocksN * blocksK; }
    /** The first column of iteration {@code it}'s B block, and its width. */
    int jc(int it) { return it / blocksK * nc; }
    int ncAt(int it) { return Math.min(nc, n - jc(it)); }
    /** The first row of iteration {@code it}'s B block (a K offset), and its depth. */
    int pc(int it) { return it % blocksK * kcs; }
    int kcAt(int it) { return Math.min(kcs, k - pc(it)); }
    int panels(int it) { return (ncAt(it) + nr - 1) / nr; }
    /** Work units of an iteration: micro-panel rows of D, or B panels. */
    int units(int it) { return byRows ? (m + mr - 1) / mr : panels(it); }

    /** The next B panel of iteration {@code it} to pack, or -1 when all are claimed. */
    int claimPack(int it) {
        int j = packNext.getAndIncrement(it);
        return j < panels(it) ? j : -1;
    }

    void packedOne(int it) { packed.incrementAndGet(it); }

    /** Waits until every B panel of iteration {@code it} is packed (all are claimed by then: only their packing is waited for). */
    void awaitPacked(int it) { int want = panels(it); for (int spins = 0; packed.get(it) < want; spins++) pause(spins); }

    /**
     * Claims the next chunk of iteration {@code it}'s units: {@code (first << 32) | count}, or -1 when none are left.
     * Guided: a chunk is an equal share of what is left over twice the threads, so the last chunks are small.
     */
    long claim(int it) {
        int total = units(it);
        while (true) {
            int s = claimNext.get(it), left = total - s;
            if (left <= 0) return -1;
            int c = Math.min(left, Math.min(maxChunk, Math.max(1, (left + 2 * threads - 1) / (2 * threads))));
            if (claimNext.compareAndSet(it, s, s + c)) return (long) s << 32 | c;
        }
    }

    void doneWith(int it, int count) { done.addAndGet(it, count); }

    /** Waits until all of iteration {@code it}'s work is done (called once every unit of it is claimed). */
    void awaitDone(int it) { int want = units(it); for (int spins = 0; done.get(it) < want; spins++) pause(spins); }

    /** Marks the product failed (a thread threw {@code cause}): threads waiting for its work stop. */
    void fail(Throwable cause) { failed = cause; }

    /** Spin briefly (the work waited for is short), then give the core to whoever is doing it. */
    private void pause(int spins) {
        Throwable cause = failed;
        if (cause != null) throw new IllegalStateException("another thread of this gemm failed: " + cause, cause);
        if (spins < 1000) Thread.onSpinWait();
        else Thread.yield();
    }
}
