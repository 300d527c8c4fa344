/**
 * The OpenCL backend ("opencl"): graphs compiled into OpenCL C kernels generated from the same scalar-op table the
 * reference backend evaluates, run through JOCL on one device ({@code opencl.platform} / {@code opencl.device}).
 * <ul>
 *   <li>Kernels: one per elementwise or fused node ({@link dev.theon.backend.opencl.ElementwiseKernel}), reductions
 *       ({@link dev.theon.backend.opencl.ReduceKernel}), softmax and log-softmax, GEMM in a tiled (local memory and
 *       register tiles) or a vector-register form, chosen per device and dtype by timing
 *       ({@link dev.theon.backend.opencl.GemmTuner}), GEMV, transpose/copy. Reductions, softmax and GEMV come in a
 *       GPU form (work-group trees in local memory) and a CPU form (contiguous work per work-item, no barriers),
 *       picked by the device type. All kernels of a function are built as one program, once per device, and cached
 *       by source; build errors show the generated source and the compiler log.</li>
 *   <li>Views (dimshuffle, squeeze, basic slicing, reshape of contiguous data) cost no kernel: they are strides over
 *       the same buffer. Ops without a kernel run their reference {@code perform} on the host, with the transfers
 *       around them listed by {@code describe()} like every other transfer.</li>
 *   <li>Memory: device buffers come from a per-device pool ({@link dev.theon.backend.opencl.BufferPool}) and are
 *       reference counted; each intermediate goes back to the pool once its last reader is enqueued. Shared
 *       variables stay on the device between calls ({@link dev.theon.backend.opencl.Residency}: keyed by shared
 *       variable and by the identity of the host value, so a host {@code set} or another backend's update is seen);
 *       an update computed on the device becomes the variable's device copy, and its host value is refreshed at
 *       commit, so {@code SharedVariable.get()} never has to ask the device.</li>
 *   <li>One in-order queue per device; a call enqueues without waiting and blocks only where the host reads a value
 *       (the inputs of a fallback op) and, at its end, for the outputs it returns.</li>
 * </ul>
 * Deliberate departures from the reference: float32 products and softmax accumulate in float, not double (sums and
 * means accumulate in double where the device has it), and transcendental functions are the device's (a few ulp).
 */
package dev.theon.backend.opencl;
