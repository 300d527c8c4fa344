package dev.theon.simd;

import dev.theon.tensor.NDArray;

/**
 * How one node runs on this backend. A kernel is made for one node at compile time and may be run by several calls at
 * once, so it keeps no per-call state. {@link #run} has the contract of {@link dev.theon.graph.Op#perform}: on entry
 * {@code out[i]} holds this node's array from an earlier call (or null), which the kernel may write into when it fits
 * ({@link dev.theon.graph.Op#reuse}), or it stores a new array or a view of an input.
 */
public interface Kernel {
    void run(NDArray[] in, NDArray[] out);

    /** One line for {@code describe()}: what runs the node, e.g. "fused vector kernel f32 #3". */
    String describe();

    /** True when the node runs its reference {@code perform} because this backend has no kernel for it. */
    default boolean isFallback() { return false; }

    /**
     * True when the kernel may be handed, in {@code out}, the storage of an input it reads element by element, and
     * compute into it (the destroy marks of the inplace rewrite). Kernels that read an input after writing some of
     * their output must say no; their marks are then ignored, which is always correct.
     */
    default boolean computesInPlace() { return false; }
}
