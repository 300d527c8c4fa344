package dev.theon.simd;

import dev.theon.tensor.NDArray;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Runs of elements set to one value, by its raw bits: a float and an int of the same width fill alike, so one vector
 * store loop per element width serves every dtype.
 */
final class Fill {
    private Fill() {}

    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Storage elements {@code [at, at + n)} of {@code seg} (elements of {@code es} bytes) set to the low bits of {@code bits}. */
    static void run(MemorySegment seg, long at, long n, int es, long bits) {
        if (n <= 0) return;
        if (es == 1 || sameBytes(bits, es)) {  // one repeated byte: the bulk fill
            seg.asSlice(at * es, n * es).fill((byte) bits);
            return;
        }
        long i = 0;
        switch (es) {
            case 8 -> {
                LongVector v = LongVector.broadcast(L, bits);
                for (int w = L.length(); i + w <= n; i += w) v.intoMemorySegment(seg, (at + i) * 8, ORDER);
                for (; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_LONG, at + i, bits);
            }
            case 4 -> {
                IntVector v = IntVector.broadcast(I, (int) bits);
                for (int w = I.length(); i + w <= n; i += w) v.intoMemorySegment(seg, (at + i) * 4, ORDER);
                for (; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_INT, at + i, (int) bits);
            }
            default -> {
                ShortVector v = ShortVector.broadcast(S, (short) bits);
                for (int w = S.length(); i + w <= n; i += w) v.intoMemorySegment(seg, (at + i) * 2, ORDER);
                for (; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_SHORT, at + i, (short) bits);
            }
        }
    }

    /** Elements {@code at + i * stride} for {@code i < n} set to the low bits of {@code bits} (any stride, 0 excepted). */
    static void strided(MemorySegment seg, long at, long stride, long n, int es, long bits) {
        if (stride == 1) { run(seg, at, n, es, bits); return; }
        switch (es) {
            case 8 -> { for (long i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_LONG, at + i * stride, bits); }
            case 4 -> { for (long i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_INT, at + i * stride, (int) bits); }
            case 2 -> { for (long i = 0; i < n; i++) seg.setAtIndex(ValueLayout.JAVA_SHORT, at + i * stride, (short) bits); }
            default -> { for (long i = 0; i < n; i++) seg.set(ValueLayout.JAVA_BYTE, at + i * stride, (byte) bits); }
        }
    }

    /** The raw bits of storage element {@code i} of {@code a}, zero-extended. */
    static long bitsAt(NDArray a, long i) {
        MemorySegment s = a.segment();
        return switch (a.dtype().byteSize()) {
            case 8 -> s.getAtIndex(ValueLayout.JAVA_LONG, i);
            case 4 -> s.getAtIndex(ValueLayout.JAVA_INT, i) & 0xFFFF_FFFFL;
            case 2 -> s.getAtIndex(ValueLayout.JAVA_SHORT, i) & 0xFFFFL;
            default -> s.get(ValueLayout.JAVA_BYTE, i) & 0xFFL;
        };
    }

    private static boolean sameBytes(long bits, int es) {
        long b = bits & 0xFF;
        for (int k = 1; k < es; k++) if (((bits >>> (8 * k)) & 0xFF) != b) return false;
        return true;
    }
}
