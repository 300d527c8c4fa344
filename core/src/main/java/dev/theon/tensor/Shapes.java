package dev.theon.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by arrays, types and ops: sizes, strides, broadcasting, slicing. */
public final class Shapes {
    private Shapes() {}

    /** Marks a dimension whose size is not known statically. */
    public static final long UNKNOWN = -1;

    public static long size(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    public static long[] cStrides(long[] shape) {
        long[] st = new long[shape.length];
        long acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) { st[d] = acc; acc *= Math.max(shape[d], 1); }
        return st;
    }

    /** "(2, 3)" like NumPy; "?" for unknown dims. */
    public static String str(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) b.append(", ");
            b.append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
        }
        if (shape.length == 1) b.append(',');
        return b.append(')').toString();
    }

    /** NumPy broadcasting of concrete shapes; null when they do not broadcast. */
    public static long[] broadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) rank = Math.max(rank, s.length);
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            int lead = rank - s.length;
            for (int d = 0; d < s.length; d++) {
                long a = out[lead + d], b = s[d];
                if (a == b || b == 1) continue;
                if (a == 1) out[lead + d] = b;
                else return null;
            }
        }
        return out;
    }

    /** Resolves one -1 in a reshape target against the element count of {@code from}. */
    public static long[] resolveReshape(long[] from, long[] to) {
        long n = size(from);
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException("can only specify one unknown dimension in reshape to " + str(to));
                unknown = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException("negative dimension " + to[i] + " in reshape to " + str(to));
            } else known *= to[i];
        }
        long[] r = to.clone();
        if (unknown >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException("cannot reshape array of size " + n + " into shape " + str(to));
            r[unknown] = n / known;
        } else if (known != n) {
            throw new IllegalArgumentException("cannot reshape array of size " + n + " into shape " + str(to));
        }
        return r;
    }

    /**
     * Python's slice.indices: returns {start, stop, step, length} for a dimension of size {@code n}.
     * Long.MIN_VALUE / Long.MAX_VALUE stand for an omitted start / stop.
     */
    public static long[] sliceIndices(long n, long start, long stop, long step) {
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        long lo, hi;
        if (step > 0) {
            lo = start == Long.MIN_VALUE ? 0 : clampIndex(start, n, 0, n);
            hi = stop == Long.MAX_VALUE ? n : clampIndex(stop, n, 0, n);
        } else {
            lo = start == Long.MIN_VALUE ? n - 1 : clampIndex(start, n, -1, n - 1);
            hi = stop == Long.MAX_VALUE ? -1 : clampIndex(stop, n, -1, n - 1);
        }
        long len;
        if (step > 0) len = hi > lo ? (hi - lo + step - 1) / step : 0;
        else len = lo > hi ? (lo - hi + (-step) - 1) / (-step) : 0;
        return new long[]{lo, hi, step, len};
    }

    private static long clampIndex(long i, long n, long min, long max) {
        if (i == Long.MIN_VALUE) return min;
        if (i == Long.MAX_VALUE) return max;
        long k = i < 0 ? i + n : i;
        return Math.max(min, Math.min(max, k));
    }

    public static long[] drop(long[] a, int i) {
        long[] r = new long[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    public static long[] insert(long[] a, int i, long v) {
        long[] r = new long[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    /** Normalises an axis against a rank, Python style; throws with a clear message when out of range. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("axis " + axis + " is out of bounds for a tensor of rank " + rank);
        return a;
    }
}
