package dev.theon.simd;

import dev.theon.tensor.DType;
import dev.theon.tensor.Shapes;

import java.lang.foreign.MemorySegment;

/**
 * The data movement behind indexing, inc/set_subtensor and alloc: same-shaped blocks of a source copied into (or
 * added to) blocks of a target. Blocks are addressed by a lead position {@code o} (C order over {@code lead}, each
 * side with its own strides) and an index position {@code p} (each side with its own offset per position, from the
 * index arrays); a block has the trail shape, each side with its own strides. Gathering rows is one block per index
 * (a contiguous row copy); x[i, j] with index arrays is blocks of one element; a basic slice is one block.
 * <p>
 * Work is shared among threads only where the parts write disjoint elements and every element still sees its
 * updates in index order: by lead position, by index position when the positions are known to be independent (a
 * gather, whose targets are distinct), or else by trail rows or columns (each thread walks every index position in
 * order over its own part of every block).
 */
final class Blocks {
    /** Elements a thread should move before the work is split. */
    static final long PER_PART = 1 << 18;

    private final ElementRuns.Kind kind;
    private final DType dt;
    private final MemorySegment t, s;
    private final long tBase, sBase;
    private final long[] lead, tLead, sLead;
    private final long[] tAt, sAt;
    private final Layout trail;
    private final boolean independent;

    /**
     * @param dt          the dtype of target and source
     * @param tAt         per index position, the target block's offset (added to {@code tBase} and the lead offset);
     *                    {@code sAt} likewise for the source
     * @param trail       the trail shape with the target's strides (array 0) and the source's (array 1)
     * @param independent whether distinct index positions always write distinct target elements
     */
    Blocks(ElementRuns.Kind kind, DType dt, MemorySegment t, long tBase, MemorySegment s, long sBase,
           long[] lead, long[] tLead, long[] sLead, long[] tAt, long[] sAt, Layout trail, boolean independent) {
        this.kind = kind;
        this.dt = dt;
        this.t = t;
        this.s = s;
        this.tBase = tBase;
        this.sBase = sBase;
        this.lead = lead;
        this.tLead = tLead;
        this.sLead = sLead;
        this.tAt = tAt;
        this.sAt = sAt;
        this.trail = trail;
        this.independent = independent;
    }

    /** One block: the whole of a strided target updated from a (broadcast) strided source of its shape. */
    static Blocks single(ElementRuns.Kind kind, DType dt, MemorySegment t, long tBase, long[] tStrides, MemorySegment s, long sBase,
                         long[] sStrides, long[] shape) {
        long[] none = new long[0], zero = {0};
        return new Blocks(kind, dt, t, tBase, s, sBase, none, none, none, zero, zero, Layout.of(shape, tStrides, sStrides), true);
    }

    void run() {
        long leads = Shapes.size(lead), positions = tAt.length, inner = trail.inner(), rows = trail.outerCount();
        long blocks = leads * positions, size = blocks * rows * inner;
        if (size == 0) return;
        int parts = Pool.partsFor(size, PER_PART);
        boolean tiled = trail.rank() > 0;
        if (parts > 1 && leads >= parts) {
            Pool.run(parts, (p, q) -> range(leads * p / q * positions, leads * (p + 1) / q * positions, 0, rows, 0, inner));
        } else if (parts > 1 && independent && blocks >= parts) {
            Pool.run(parts, (p, q) -> range(blocks * p / q, blocks * (p + 1) / q, 0, rows, 0, inner));
        } else if (parts > 1 && tiled && rows >= parts) {
            Pool.run(parts, (p, q) -> range(0, blocks, rows * p / q, rows * (p + 1) / q, 0, inner));
        } else if (parts > 1 && tiled && inner >= 64L * parts) {
            long chunks = (inner + 63) / 64;  // whole cache lines to each thread
            Pool.run(parts, (p, q) -> range(0, blocks, 0, rows, Math.min(inner, chunks * p / q * 64), Math.min(inner, chunks * (p + 1) / q * 64)));
        } else {
            range(0, blocks, 0, rows, 0, inner);
        }
    }

    /** Blocks {@code [b0, b1)} (b = o * positions + p), trail rows {@code [r0, r1)} and columns {@code [c0, c1)} of each. */
    private void range(long b0, long b1, long r0, long r1, long c0, long c1) {
        if (b0 >= b1 || r0 >= r1 || c0 >= c1) return;
        long positions = tAt.length;
        long[] idx = new long[Math.max(0, trail.rank() - 1)], off = new long[2];
        for (long b = b0; b < b1; ) {
            long o = b / positions;
            int p0 = (int) (b % positions), p1 = (int) Math.min(positions, p0 + (b1 - b));
            long tb = tBase + offsetOf(o, lead, tLead), sb = sBase + offsetOf(o, lead, sLead);
            if (trail.rank() == 0) {
                ElementRuns.scattered(kind, dt, t, tb, tAt, s, sb, sAt, p0, p1);
            } else {
                for (int p = p0; p < p1; p++) block(tb + tAt[p], sb + sAt[p], r0, r1, c0, c1, idx, off);
            }
            b += p1 - p0;
        }
    }

    private void block(long tb, long sb, long r0, long r1, long c0, long c1, long[] idx, long[] off) {
        long ts = trail.innerStride(0), ss = trail.innerStride(1), n = c1 - c0;
        if (r1 - r0 == 1 && trail.rank() == 1) { ElementRuns.apply(kind, dt, t, tb + c0 * ts, ts, s, sb + c0 * ss, ss, n); return; }
        long p = r0;
        for (int d = idx.length - 1; d >= 0; d--) { idx[d] = p % trail.shape[d]; p /= trail.shape[d]; }
        trail.outerOffsets(r0, off);
        for (long r = r0; r < r1; r++) {
            ElementRuns.apply(kind, dt, t, tb + off[0] + c0 * ts, ts, s, sb + off[1] + c0 * ss, ss, n);
            trail.nextOuter(idx, off);
        }
    }

    /** The storage offset of C-order position {@code flat} of {@code shape} with {@code strides}. */
    static long offsetOf(long flat, long[] shape, long[] strides) {
        long off = 0;
        for (int d = shape.length - 1; d >= 0 && flat != 0; d--) {
            off += flat % shape[d] * strides[d];
            flat /= shape[d];
        }
        return off;
    }
}
