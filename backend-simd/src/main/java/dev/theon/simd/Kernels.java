package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.ops.Dot;
import dev.theon.ops.MatMul;
import dev.theon.ops.Outer;
import dev.theon.simd.gen.ElemSpec;

/** Chooses the kernel for each node: a SIMD kernel where this backend has one, else the visible reference fallback. */
final class Kernels {
    private Kernels() {}

    static Kernel forNode(Apply node) {
        ElemSpec spec = ElemSpec.of(node);
        if (spec != null) return new ElemwiseKernel(node, spec);
        Kernel k = BlasKernels.forNode(node);
        if (k == null) k = ReduceKernels.forNode(node);
        if (k == null) k = NnetKernels.forNode(node);
        if (k == null) k = ShapeKernels.forNode(node);
        if (k != null) return k;
        return new FallbackKernel(node, reason(node));
    }

    /** Why a node has no SIMD kernel, in a few words for describe() and the log. */
    static String reason(Apply node) {
        return switch (node.op()) {
            case Dot d when node.input(0).ndim() == 0 || node.input(1).ndim() == 0 -> "dot with a scalar operand is an elementwise product";
            case Dot d -> "dot of " + operands(node) + ": the simd GEMM covers float32 and float64";
            case MatMul m -> "matmul of " + operands(node) + ": the simd GEMM covers float32 and float64";
            case Outer o -> "outer of " + operands(node) + ": the simd GEMM covers float32 and float64";
            default -> "no simd kernel for " + node.op().getClass().getSimpleName();
        };
    }

    /** "int64 values", or "int32 and float64 operands" when the operands' dtypes differ (the product is of the promoted type). */
    private static String operands(Apply node) {
        var a = node.input(0).dtype();
        var b = node.input(1).dtype();
        return a == b ? a + " values" : a + " and " + b + " operands";
    }
}
