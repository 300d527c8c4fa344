package dev.theon.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code out[j] = g * x[j]} along one contiguous row, on vectors of the row's own precision. The float32 loop takes a
 * float32 factor: the product of two floats is exact in float64, so {@code g * x[j]} rounded once to float32 is
 * bit for bit the reference's {@code (float) ((double) g * x[j])}; a factor that float32 cannot hold exactly goes
 * through {@link #f32Wide}, which multiplies in float64 as the reference does.
 */
final class RowScale {
    private RowScale() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** n float32 values at element offset xo of x, times g, into element offset oo of out. */
    static void f32(MemorySegment x, long xo, MemorySegment out, long oo, int n, float g) {
        FloatVector gv = FloatVector.broadcast(FS, g);
        int i = 0;
        for (; i <= n - FS.length(); i += FS.length())
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER).mul(gv).intoMemorySegment(out, (oo + i) * 4, ORDER);
        if (i < n) {
            VectorMask<Float> k = FS.indexInRange(i, n);
            FloatVector.fromMemorySegment(FS, x, (xo + i) * 4, ORDER, k).mul(gv).intoMemorySegment(out, (oo + i) * 4, ORDER, k);
        }
    }

    /** The float32 row with a float64 factor that is not a float32 value: each product rounded once, from float64. */
    static void f32Wide(MemorySegment x, long xo, MemorySegment out, long oo, int n, double g) {
        for (int i = 0; i < n; i++)
            out.setAtIndex(ValueLayout.JAVA_FLOAT, oo + i, (float) (g * x.getAtIndex(ValueLayout.JAVA_FLOAT, xo + i)));
    }

    /** n float64 values at element offset xo of x, times g, into element offset oo of out. */
    static void f64(MemorySegment x, long xo, MemorySegment out, long oo, int n, double g) {
        DoubleVector gv = DoubleVector.broadcast(DS, g);
        int i = 0;
        for (; i <= n - DS.length(); i += DS.length())
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER).mul(gv).intoMemorySegment(out, (oo + i) * 8, ORDER);
        if (i < n) {
            VectorMask<Double> k = DS.indexInRange(i, n);
            DoubleVector.fromMemorySegment(DS, x, (xo + i) * 8, ORDER, k).mul(gv).intoMemorySegment(out, (oo + i) * 8, ORDER, k);
        }
    }
}
