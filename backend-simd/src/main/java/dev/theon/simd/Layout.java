package dev.theon.simd;

import java.util.Arrays;

/**
 * Several same-shaped strided arrays seen with as few dims as possible: dims of size 1 are dropped and neighbouring
 * dims are merged where every array steps through them as through one (stride[d] == stride[d+1] * shape[d+1]).
 * A contiguous array becomes one dim of stride 1; a transposed matrix stays two dims. Kernels then loop over the
 * outer dims and run their vector loop along the last one.
 */
public final class Layout {
    public final long[] shape;
    public final long[][] strides;  // [array][dim]

    private Layout(long[] shape, long[][] strides) { this.shape = shape; this.strides = strides; }

    public int rank() { return shape.length; }

    /** The innermost dim's length (1 for a rank-0 layout). */
    public long inner() { return shape.length == 0 ? 1 : shape[shape.length - 1]; }

    /** Array {@code a}'s stride along the innermost dim (0 for a rank-0 layout). */
    public long innerStride(int a) { return shape.length == 0 ? 0 : strides[a][shape.length - 1]; }

    /** How many positions the outer dims (all but the innermost) span. */
    public long outerCount() {
        long n = 1;
        for (int d = 0; d < shape.length - 1; d++) n *= shape[d];
        return n;
    }

    public static Layout of(long[] shape, long[]... strides) {
        int n = strides.length;
        long[] s = new long[shape.length];
        long[][] st = new long[n][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0) {
                boolean merge = true;
                for (int a = 0; a < n && merge; a++) merge = st[a][r - 1] == strides[a][d] * shape[d];
                if (merge) {
                    s[r - 1] *= shape[d];
                    for (int a = 0; a < n; a++) st[a][r - 1] = strides[a][d];
                    continue;
                }
            }
            s[r] = shape[d];
            for (int a = 0; a < n; a++) st[a][r] = strides[a][d];
            r++;
        }
        long[][] out = new long[n][];
        for (int a = 0; a < n; a++) out[a] = Arrays.copyOf(st[a], r);
        return new Layout(Arrays.copyOf(s, r), out);
    }

    /**
     * The storage offsets, relative to each array's base, of outer position {@code p} (a C-order index over the outer
     * dims), written into {@code off}.
     */
    public void outerOffsets(long p, long[] off) {
        Arrays.fill(off, 0);
        for (int d = shape.length - 2; d >= 0; d--) {
            long i = p % shape[d];
            p /= shape[d];
            for (int a = 0; a < off.length; a++) off[a] += i * strides[a][d];
        }
    }

    /** Advances the outer counter {@code idx} by one in C order, updating {@code off} incrementally. */
    public void nextOuter(long[] idx, long[] off) {
        for (int d = shape.length - 2; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                for (int a = 0; a < off.length; a++) off[a] += strides[a][d];
                return;
            }
            idx[d] = 0;
            for (int a = 0; a < off.length; a++) off[a] -= strides[a][d] * (shape[d] - 1);
        }
    }

    /** The outer counter of outer position {@code p}. */
    public long[] outerIndex(long p) {
        long[] idx = new long[Math.max(0, shape.length - 1)];
        for (int d = shape.length - 2; d >= 0; d--) { idx[d] = p % shape[d]; p /= shape[d]; }
        return idx;
    }
}
