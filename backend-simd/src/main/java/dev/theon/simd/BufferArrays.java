package dev.theon.simd;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

/**
 * The arrays of one buffer of the {@link dev.theon.backend.BufferPlan}, at most one per run-time shape. The plan lets
 * values share a buffer when their dtype and static shape agree, but a static shape with unknown dims (every
 * intermediate of a graph over {@code T.fmatrix} inputs and shared weights) says nothing of the sizes: a buffer
 * that held one array would be reallocated whenever consecutive values in it differ in size, every call. Keeping
 * one array per shape gives each value an array that fits, and the buffer is still used by one value at a time, so
 * any of its arrays is free to take. At most {@code capacity} arrays (the node outputs planned into the buffer, so
 * never more than one array per node output); beyond that the oldest is dropped.
 */
final class BufferArrays {
    private final NDArray[] arrays;
    private int next;  // the slot to drop next when all are taken

    BufferArrays(int capacity) { arrays = new NDArray[Math.max(1, capacity)]; }

    /** The array of this dtype and shape, or null. */
    NDArray find(DType dtype, long[] shape) {
        for (NDArray a : arrays) if (a != null && a.dtype() == dtype && sameShape(a, shape)) return a;
        return null;
    }

    /** Keeps {@code a} for the next value of its dtype and shape, in place of an array of the same dtype and shape. */
    void keep(NDArray a) {
        int free = -1;
        for (int i = 0; i < arrays.length; i++) {
            NDArray b = arrays[i];
            if (b == a) return;
            if (b == null) { if (free < 0) free = i; continue; }
            if (b.dtype() == a.dtype() && sameShape(b, a.shape())) { arrays[i] = a; return; }
        }
        if (free < 0) { free = next; next = (next + 1) % arrays.length; }
        arrays[free] = a;
    }

    /** Forgets every array that shares storage with one of {@code results} (the caller owns those now). */
    void forget(NDArray[] results) {
        for (int i = 0; i < arrays.length; i++) {
            NDArray a = arrays[i];
            if (a == null) continue;
            for (NDArray r : results) if (a.sharesStorageWith(r)) { arrays[i] = null; break; }
        }
    }

    static boolean sameShape(NDArray a, long[] shape) {
        if (a.ndim() != shape.length) return false;
        for (int d = 0; d < shape.length; d++) if (a.shape(d) != shape[d]) return false;
        return true;
    }
}
