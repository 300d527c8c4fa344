package dev.theon.simd.gen;

import java.lang.foreign.MemorySegment;

/**
 * A generated elementwise kernel: computes its fused expression at {@code n} consecutive positions of a row.
 * {@code segs} and {@code offs} hold, for each input and then each output, the storage and the element offset of the
 * row's first position. A vector kernel was generated for fixed input access (unit stride or broadcast, see
 * {@link VectorPlan.Access}) and ignores {@code strides}; a scalar kernel steps by {@code strides} (in elements).
 * {@code scratch} is {@code float[][]} or {@code double[][]} of {@link VectorPlan#BLOCK}-element arrays for a
 * multi-stage kernel, else unused.
 */
public interface ElemKernel {
    void run(MemorySegment[] segs, long[] offs, long[] strides, Object scratch, long n);
}
