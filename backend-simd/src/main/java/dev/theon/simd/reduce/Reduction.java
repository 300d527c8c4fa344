package dev.theon.simd.reduce;

import dev.theon.ops.ReduceAxes;
import dev.theon.simd.Layout;
import dev.theon.simd.Pool;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * One reduction of an array over some axes into a contiguous output, for any axes and any strides.
 * <p>
 * The input and a "slot" view of the output (its strides on kept axes, 0 on reduced ones), their dims ordered by
 * decreasing input stride (a transposed input is walked in memory order), are merged into as few dims as possible.
 * When the innermost merged dim is reduced, each run of it folds into one output ("inner" reduction: a row sum);
 * otherwise the run folds elementwise into consecutive outputs ("outer" reduction: a column sum, accumulating rows).
 * Runs with unit stride are vectorised ({@link Runs}, {@link FloatRuns}). Large reductions are split into parts by
 * runs (or by pieces of one long run), several per thread when the output is small; each part folds into its own
 * accumulators, combined at the end.
 */
public final class Reduction {
    /** Elements a thread should get before a reduction is split among threads. */
    private static final long PER_PART = 1 << 20;
    private static final long CHUNK = 1 << 15;
    /** Parts per thread of a reduction into at most {@link #SMALL_OUTPUT} outputs (see {@link #parts(long, long)}). */
    private static final int PARTS_PER_THREAD = 4, SMALL_OUTPUT = 1 << 12;

    private final NDArray x;
    private final Layout l;
    private final boolean innerReduced, cOrder;
    private final int m;
    private final long inner, outer, chunk, perRow, units;

    /**
     * The reduction of {@code x} over {@code axes} (null: all) into {@code m} contiguous outputs (the kept axes in
     * order), walking the input in its memory order: the dims are visited by decreasing input stride, so that a
     * transposed input is read along its contiguous dim (as a column sum, say) instead of element by element with a
     * large stride. The order in which an output's elements are added is then not C order; {@link #inCOrder} keeps it.
     */
    public Reduction(NDArray x, int[] axes, int m) { this(x, axes, m, false); }

    /** The reduction walked in C order, for folds whose result depends on it (argmax's first index of the best). */
    public static Reduction inCOrder(NDArray x, int[] axes, int m) { return new Reduction(x, axes, m, true); }

    private Reduction(NDArray x, int[] axes, int m, boolean cOrder) {
        this.x = x;
        this.cOrder = cOrder;
        this.m = m;
        long[] shape = x.shape();
        long[] slot = new long[shape.length];
        // the output is contiguous: kept axes in order, C strides over their sizes
        long stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (reduces(axes, d)) { slot[d] = 0; continue; }
            slot[d] = stride;
            stride *= shape[d];
        }
        long[] xs = x.strides();
        if (!cOrder) {
            Integer[] order = new Integer[shape.length];
            for (int d = 0; d < order.length; d++) order[d] = d;
            long[] by = xs;
            Arrays.sort(order, (a, b) -> Long.compare(Math.abs(by[b]), Math.abs(by[a])));  // stable: ties keep C order
            long[] sh = new long[order.length], st = new long[order.length], sl = new long[order.length];
            for (int d = 0; d < order.length; d++) { sh[d] = shape[order[d]]; st[d] = xs[order[d]]; sl[d] = slot[order[d]]; }
            shape = sh;
            slot = sl;
            xs = st;
        }
        this.l = Layout.of(shape, xs, slot);
        this.innerReduced = l.rank() == 0 || l.innerStride(1) == 0;
        this.inner = l.inner();
        this.outer = l.outerCount();
        long size = x.size();
        int parts = Pool.partsFor(size, PER_PART);
        this.chunk = parts > 1 && outer < 4L * parts ? Math.max(CHUNK, (inner + 4L * parts - 1) / (4L * parts)) : inner;
        this.perRow = Math.max(1, (inner + chunk - 1) / chunk);
        this.units = outer * perRow;
    }

    static boolean reduces(int[] axes, int d) { return ReduceAxes.reduces(axes, d); }

    private int parts() { return parts(Pool.partsFor(x.size(), PER_PART), units); }

    /**
     * Parts for {@code threads} threads over {@code units} units of work: several per thread, claimed as threads come
     * free, so that a thread that loses its core for a while (a loaded machine) holds the others up by one small part
     * instead of half the work; but each part folds into its own m accumulators, so only while m is small.
     */
    private int parts(long threads, long units) {
        if (threads <= 1) return 1;
        return (int) Math.min(threads * (m <= SMALL_OUTPUT ? PARTS_PER_THREAD : 1), units);
    }

    /**
     * Folds float32/float64 elements into float64 accumulators, one per output (float32 sums and extrema of
     * unit-stride runs go through float32 lanes first: {@link FloatRuns}).
     */
    public double[] foldDouble(Runs.Op op, double[] means) {
        boolean f32 = x.dtype() == DType.FLOAT32;
        if (f32 && op == Runs.Op.SUM && columns()) return sumColumnsF32();
        int parts = parts();
        double[][] accs = new double[parts][];
        Pool.run(parts, (p, q) -> {
            double[] acc = new double[m];
            Arrays.fill(acc, Runs.identity(op));
            walk(units * p / q, units * (p + 1) / q, (xo, xs, so, ss, len) -> {
                if (innerReduced) acc[(int) so] = Runs.combine(op, acc[(int) so], Runs.fold(op, f32, x.segment(), xo, xs, len, op == Runs.Op.SSD ? means[(int) so] : 0));
                else Runs.into(op, f32, x.segment(), xo, xs, len, acc, (int) so, ss, means);
            });
            accs[p] = acc;
        });
        // the pool may have run fewer parts than asked (its threads busy with other kernels): those left null
        double[] r = accs[0];
        for (int p = 1; p < parts && accs[p] != null; p++) for (int s = 0; s < m; s++) r[s] = Runs.combine(op, r[s], accs[p][s]);
        return r;
    }

    /**
     * Whether this is an outer reduction whose inner dim is contiguous in the input and the output and whose next
     * dim out is reduced: each output then sums a column of rows (a matrix's column sum, or one per outer position),
     * which {@link FloatRuns#intoRows} sums down 16 rows at a time.
     */
    private boolean columns() {
        int r = l.rank();
        return !innerReduced && r >= 2 && l.innerStride(0) == 1 && l.innerStride(1) == 1 && l.strides[1][r - 2] == 0;
    }

    /**
     * Float32 column sums: units are (outer position above the rows, group of up to 16 rows, piece of the row), in
     * C order; a part sums its units into its own float64 accumulators, combined at the end.
     */
    private double[] sumColumnsF32() {
        int r = l.rank();
        long rows = l.shape[r - 2], rowStep = l.strides[0][r - 2];
        long groups = (rows + FloatRuns.ROWS - 1) / FloatRuns.ROWS;
        long above = outer / rows;
        long want = Pool.partsFor(x.size(), PER_PART);
        // split rows into pieces only when there are too few groups of rows to share among threads
        long piece = want > 1 && above * groups < 4 * want ? Math.max(CHUNK / FloatRuns.ROWS, (inner + 4 * want - 1) / (4 * want)) : inner;
        long pieces = (inner + piece - 1) / piece;
        long count = above * groups * pieces;
        int parts = parts(want, count);
        double[][] accs = new double[parts][];
        MemorySegment seg = x.segment();
        Pool.run(parts, (p, q) -> {
            double[] acc = new double[m];
            long[] off = new long[2];
            for (long u = count * p / q, end = count * (p + 1) / q; u < end; u++) {
                long c = u % pieces, g = u / pieces % groups, a = u / pieces / groups;
                long r0 = g * FloatRuns.ROWS, c0 = c * piece;
                l.outerOffsets(a * rows + r0, off);
                FloatRuns.intoRows(seg, x.offset() + off[0] + c0, rowStep, (int) Math.min(FloatRuns.ROWS, rows - r0),
                        Math.min(piece, inner - c0), acc, (int) (off[1] + c0));
            }
            accs[p] = acc;
        });
        double[] sum = accs[0];
        for (int p = 1; p < parts; p++) for (int s = 0; s < m; s++) sum[s] += accs[p][s];
        return sum;
    }

    /** Exact int64 folds of bool and integer elements (kind: sum, prod, max, min, all, any). */
    public long[] foldLong(String kind) {
        int parts = parts();
        long[][] accs = new long[parts][];
        long id = switch (kind) { case "prod", "all" -> 1; case "max" -> Long.MIN_VALUE; case "min" -> Long.MAX_VALUE; default -> 0; };
        DType dt = x.dtype();
        MemorySegment seg = x.segment();
        Pool.run(parts, (p, q) -> {
            long[] acc = new long[m];
            Arrays.fill(acc, id);
            walk(units * p / q, units * (p + 1) / q, (xo, xs, so, ss, len) -> {
                for (long i = 0; i < len; i++) {
                    int s = (int) (so + i * ss);
                    acc[s] = foldLong(kind, acc[s], readLong(seg, dt, xo + i * xs));
                }
            });
            accs[p] = acc;
        });
        long[] r = accs[0];
        for (int p = 1; p < parts && accs[p] != null; p++) for (int s = 0; s < m; s++) r[s] = foldLong(kind, r[s], accs[p][s]);
        return r;
    }

    /**
     * argmax (or argmin) of each output's block, walked in C order on one thread: the k-th element an output sees is
     * at index k of its block. Ties keep the first; the first NaN wins; integers compare exactly.
     */
    public long[] argFold(boolean max) {
        if (!cOrder) throw new IllegalStateException("argFold needs the reduction walked in C order (Reduction.inCOrder)");
        long[] seen = new long[m], best = new long[m];
        boolean exact = x.dtype().isDiscrete();
        long[] bestL = exact ? new long[m] : null;
        double[] bestD = exact ? null : new double[m];
        DType dt = x.dtype();
        MemorySegment seg = x.segment();
        walk(0, units, (xo, xs, so, ss, len) -> {
            for (long i = 0; i < len; i++) {
                int s = (int) (so + i * ss);
                long k = seen[s]++;
                if (exact) {
                    long v = readLong(seg, dt, xo + i * xs);
                    if (k == 0 || (max ? v > bestL[s] : v < bestL[s])) { bestL[s] = v; best[s] = k; }
                } else {
                    double v = dt == DType.FLOAT32 ? seg.getAtIndex(ValueLayout.JAVA_FLOAT, xo + i * xs) : seg.getAtIndex(ValueLayout.JAVA_DOUBLE, xo + i * xs);
                    double b = bestD[s];
                    if (k == 0 || !Double.isNaN(b) && (Double.isNaN(v) || (max ? v > b : v < b))) { bestD[s] = v; best[s] = k; }
                }
            }
        });
        return best;
    }

    static long foldLong(String kind, long acc, long v) {
        return switch (kind) {
            case "sum" -> acc + v;
            case "prod" -> acc * v;
            case "max" -> Math.max(acc, v);
            case "min" -> Math.min(acc, v);
            case "all" -> v != 0 ? acc : 0;
            case "any" -> v != 0 ? 1 : acc;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static long readLong(MemorySegment s, DType dt, long i) {
        return switch (dt) {
            case BOOL, INT8 -> s.getAtIndex(ValueLayout.JAVA_BYTE, i);
            case INT16 -> s.getAtIndex(ValueLayout.JAVA_SHORT, i);
            case INT32 -> s.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT64 -> s.getAtIndex(ValueLayout.JAVA_LONG, i);
            case FLOAT32 -> (long) s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> (long) s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case FLOATX -> throw new IllegalStateException();
        };
    }

    /** A run: {@code len} elements from storage index xo (step xs) folding into output slot so (step ss, 0 for an inner reduction). */
    @FunctionalInterface interface RunBody { void run(long xo, long xs, long so, long ss, long len); }

    /** Visits units [u0, u1): (outer position, piece of the inner run) in C order. */
    private void walk(long u0, long u1, RunBody body) {
        if (u0 >= u1) return;
        long xs = l.innerStride(0), ss = l.innerStride(1);
        long[] off = new long[2];
        long row = u0 / perRow, c = u0 % perRow;
        long[] idx = l.outerIndex(row);
        l.outerOffsets(row, off);
        for (long u = u0; u < u1; u++) {
            long c0 = c * chunk, len = Math.min(chunk, inner - c0);
            body.run(x.offset() + off[0] + c0 * xs, xs, off[1] + c0 * ss, ss, len);
            if (++c == perRow) { c = 0; l.nextOuter(idx, off); }
        }
    }

    static boolean empty(long[] shape) { return Shapes.size(shape) == 0; }
}
