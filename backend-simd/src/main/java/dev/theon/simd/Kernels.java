package dev.theon.simd;

import dev.theon.graph.Apply;

/** Chooses the kernel for each node: a SIMD kernel where this backend has one, else the visible reference fallback. */
final class Kernels {
    private Kernels() {}

    static Kernel forNode(Apply node) {
        dev.theon.simd.gen.ElemSpec spec = dev.theon.simd.gen.ElemSpec.of(node);
        if (spec != null) return new ElemwiseKernel(node, spec);
        Kernel k = BlasKernels.forNode(node);
        if (k == null) k = ReduceKernels.forNode(node);
        if (k == null) k = NnetKernels.forNode(node);
        if (k == null) k = ShapeKernels.forNode(node);
        if (k != null) return k;
        return new FallbackKernel(node, "no simd kernel for " + node.op().getClass().getSimpleName());
    }
}
