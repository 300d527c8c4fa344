package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.ops.AdvancedSubtensor;
import dev.theon.ops.Dot;
import dev.theon.ops.IncSubtensor;
import dev.theon.ops.MatMul;
import dev.theon.ops.Outer;
import dev.theon.ops.TensorDot;
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
        if (k == null) k = IndexKernels.forNode(node);
        if (k == null) k = CreationKernels.forNode(node);
        if (k == null) k = TensorDotKernel.forNode(node);
        if (k != null) return k;
        return new FallbackKernel(node, reason(node));
    }

    /** "of int64 values", or "of int64 and float64 operands" when they differ. */
    private static String operands(Apply node) {
        var a = node.input(0).dtype();
        var b = node.input(node.inputs().size() - 1).dtype();
        return a == b ? "of " + a + " values" : "of " + a + " and " + b + " operands";
    }

    /** Why a node has no SIMD kernel, in a few words for describe() and the log. */
    static String reason(Apply node) {
        return switch (node.op()) {
            case Dot d when node.input(0).ndim() == 0 || node.input(1).ndim() == 0 -> "dot with a scalar operand is an elementwise product";
            case Dot d -> "dot " + operands(node) + ": the simd GEMM covers float32 and float64 operands";
            case MatMul m -> "matmul " + operands(node) + ": the simd GEMM covers float32 and float64 operands";
            case Outer o -> "outer " + operands(node) + ": the simd GEMM covers float32 and float64 operands";
            case TensorDot t -> "tensordot " + operands(node) + ": the simd GEMM covers float32 and float64 operands";
            case AdvancedSubtensor a -> IndexKernels.reason(node);
            case IncSubtensor i -> IndexKernels.reason(node);
            default -> "no simd kernel for " + node.op().getClass().getSimpleName();
        };
    }

}
