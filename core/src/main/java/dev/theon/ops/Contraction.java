package dev.theon.ops;

import dev.theon.tensor.NDArray;
import dev.theon.tensor.Odometer;
import dev.theon.tensor.Shapes;

/**
 * The reference kernel of the BLAS family: {@code out[i] = sum over c of a[i, c] * b[i, c]}.
 * <p>
 * Each op describes its product as two views shaped like the output (stride 0 along the output axes an operand
 * does not vary with) plus the contracted axes ({@code kShape}) with each operand's strides along them. Dot,
 * matmul, tensordot and outer are then only different ways of laying out the same loop.
 * Floats accumulate in double and are rounded once when stored (so a float32 result is rounded once, not at every
 * step); bool and integer results accumulate in long, which keeps int64 exact and wraps narrower integers exactly
 * as accumulating in the narrow type would.
 */
final class Contraction {
    private Contraction() {}

    static void run(NDArray a, NDArray b, long[] kShape, long[] aKStrides, long[] bKStrides, NDArray out) {
        long size = out.size();
        if (size == 0) return;
        int kn = Math.toIntExact(Shapes.size(kShape));
        // storage offsets of each contracted position relative to an output element's base, computed once
        long[] offA = new long[kn], offB = new long[kn];
        Odometer k = new Odometer(kShape, a.view(kShape, aKStrides, 0), b.view(kShape, bKStrides, 0));
        for (int c = 0; c < kn; c++) {
            offA[c] = k.pos[0];
            offB[c] = k.pos[1];
            k.next();
        }
        Odometer it = new Odometer(out.shape(), a, b, out);
        long[] p = it.pos;
        if (out.dtype().isDiscrete()) {
            for (long i = 0; i < size; i++) {
                long s = 0;
                for (int c = 0; c < kn; c++) s += a.readLong(p[0] + offA[c]) * b.readLong(p[1] + offB[c]);
                out.writeLong(p[2], s);
                it.next();
            }
        } else {
            for (long i = 0; i < size; i++) {
                double s = 0;
                for (int c = 0; c < kn; c++) s += a.readDouble(p[0] + offA[c]) * b.readDouble(p[1] + offB[c]);
                out.writeDouble(p[2], s);
                it.next();
            }
        }
    }

    /** {@code n} zeros: the stride of an operand along output axes it does not vary with. */
    static long[] zeros(int n) { return new long[n]; }

    static long[] concat(long[] x, long[] y) {
        long[] r = new long[x.length + y.length];
        System.arraycopy(x, 0, r, 0, x.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }
}
