package dev.theon.simd;

import dev.theon.tensor.NDArray;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies of strided arrays into new C-contiguous ones, by raw element bits (so any dtype copies exactly). Contiguous
 * runs are bulk copies; a transposed matrix is copied in square tiles so that both sides stay in cache.
 */
public final class Copy {
    private Copy() {}

    private static final int TILE = 64;

    /** A C-contiguous copy with its own storage. */
    public static NDArray contiguous(NDArray a) {
        NDArray out = NDArray.zeros(a.dtype(), a.shape());
        into(a, out);
        return out;
    }

    /** Copies {@code src} into {@code dst} of the same shape and dtype. */
    public static void into(NDArray src, NDArray dst) {
        long n = src.size();
        if (n == 0) return;
        int es = src.dtype().byteSize();
        MemorySegment s = src.segment(), d = dst.segment();
        if (src.isContiguous() && dst.isContiguous()) {
            MemorySegment.copy(s, src.offset() * es, d, dst.offset() * es, n * es);
            return;
        }
        Layout l = Layout.of(src.shape(), src.strides(), dst.strides());
        long inner = l.inner(), ss = l.innerStride(0), ds = l.innerStride(1);
        if (l.rank() == 2 && ds == 1 && ss != 1) {
            transposeTiles(s, src.offset(), l.strides[0][0], ss, d, dst.offset(), l.strides[1][0], l.shape[0], inner, es);
            return;
        }
        long outer = l.outerCount();
        long[] idx = l.outerIndex(0), off = new long[2];
        for (long p = 0; p < outer; p++) {
            long so = src.offset() + off[0], dO = dst.offset() + off[1];
            if (ss == 1 && ds == 1) MemorySegment.copy(s, so * es, d, dO * es, inner * es);
            else run(s, so, ss, d, dO, ds, inner, es);
            l.nextOuter(idx, off);
        }
    }

    static void run(MemorySegment s, long so, long ss, MemorySegment d, long dO, long ds, long n, int es) {
        switch (es) {
            case 8 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_LONG, dO + i * ds, s.getAtIndex(ValueLayout.JAVA_LONG, so + i * ss)); }
            case 4 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_INT, dO + i * ds, s.getAtIndex(ValueLayout.JAVA_INT, so + i * ss)); }
            case 2 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_SHORT, dO + i * ds, s.getAtIndex(ValueLayout.JAVA_SHORT, so + i * ss)); }
            default -> { for (long i = 0; i < n; i++) d.set(ValueLayout.JAVA_BYTE, dO + i * ds, s.get(ValueLayout.JAVA_BYTE, so + i * ss)); }
        }
    }

    /** dst[i, j] = src[i, j] for a destination with unit inner stride and a source without: tile by tile. */
    private static void transposeTiles(MemorySegment s, long so, long sRow, long sCol, MemorySegment d, long dO, long dRow,
                                       long rows, long cols, int es) {
        for (long i0 = 0; i0 < rows; i0 += TILE) {
            long i1 = Math.min(rows, i0 + TILE);
            for (long j0 = 0; j0 < cols; j0 += TILE) {
                long j1 = Math.min(cols, j0 + TILE);
                for (long i = i0; i < i1; i++)
                    run(s, so + i * sRow + j0 * sCol, sCol, d, dO + i * dRow + j0, 1, j1 - j0, es);
            }
        }
    }
}
