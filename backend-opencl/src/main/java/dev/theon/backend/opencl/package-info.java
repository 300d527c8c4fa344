/**
 * The OpenCL backend ("opencl"): graphs compiled into OpenCL C kernels generated from the same scalar-op table the
 * reference backend evaluates, run through JOCL on one device.
 * <ul>
 *   <li>Kernels: one per elementwise or fused node ({@link dev.theon.backend.opencl.ElementwiseKernel}), reductions
 *       ({@link dev.theon.backend.opencl.ReduceKernel}), softmax and log-softmax, a tiled GEMM with tiles chosen per
 *       device by {@link dev.theon.backend.opencl.GemmTuner}, GEMV, transpose/copy. All kernels of a function are built as
 *       one program, once per device, and cached by source; build errors show the source and the compiler log.</li>
 *   <li>Views (dimshuffle, slicing, reshape of contiguous data) cost no kernel: they are strides over the same
 *       buffer. Ops without a kernel run their reference {@code perform} on the host with explicit transfers around
 *       them, listed by {@code describe()} like every other transfer.</li>
 *   <li>Memory: see {@link dev.theon.backend.opencl.Residency} (shared variables stay on the device between calls,
 *       keyed by shared variable and host-value identity) and {@link dev.theon.backend.opencl.BufferPool}
 *       (intermediates, reused across calls).</li>
 *   <li>One in-order queue per device; calls enqueue without waiting and block only where the host needs a value.</li>
 * </ul>
 * Deliberate departures from the reference: float32 products and softmax accumulate in float, not double (sums and
 * means accumulate in double where the device has it), and transcendental functions are the device's (a few ulp).
 */
package dev.theon.backend.opencl;
