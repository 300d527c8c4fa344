/**
 * The SIMD CPU backend, "simd": compiled graphs run on the Vector API, one {@link dev.theon.simd.Kernel} per node.
 * <p>
 * Choosing it: {@code Theon.options().backend("simd")} per function, or {@code backend=simd} in THEON_FLAGS or
 * {@code ~/.theonrc}. {@code f.describe()} names the kernel of every node; a node this backend has no kernel for runs
 * its op's reference {@code perform}, is listed as a FALLBACK with the reason, and is logged once per op.
 * <ul>
 *   <li>Elementwise nodes (Elemwise, and the Composite nodes fusion makes) become hidden classes generated with the
 *       ClassFile API ({@link dev.theon.simd.gen}): one straight-line Vector API loop per node, cached by signature
 *       (expression, input dtypes, how each input is read along a row). Expressions with no vector form run a
 *       generated scalar loop with the reference's exact semantics.</li>
 *   <li>dot, matmul and outer run a packed, cache-blocked GEMM ({@link dev.theon.simd.blas}). Unlike the reference,
 *       which accumulates float32 products in float64, it accumulates float32 in float32, as BLAS libraries do.</li>
 *   <li>Reductions, var/std, argmax/argmin, softmax and log_softmax have hand-written kernels
 *       ({@link dev.theon.simd.reduce}). Unlike the reference, which accumulates every float sum in float64, float32
 *       sums and means (and softmax's sum of exponentials) add short float32 trees and then float64: widening every
 *       element to float64 cost a conversion per element on half as many lanes (a row sum in cache took 3x as long),
 *       and numpy and torch sum float32 in float32 too. Each element passes through at most 6 float32 roundings, so
 *       a float32 sum is within about 6 * 2^-24 * sum|x| of the exact sum at any length (numpy's pairwise sum:
 *       about (18 + log2(n/128)) * 2^-24 * sum|x|). Products, var/std and float64 accumulate in float64 as in the
 *       reference; float32 max and min are exact either way.</li>
 *   <li>Advanced indexing and set/inc_subtensor ({@link dev.theon.simd.IndexKernels}) read the index arrays once
 *       into storage offsets ({@link dev.theon.simd.Selection}), then move rows with bulk copies or vector adds and
 *       single elements with one loop ({@link dev.theon.simd.Blocks}); increments with repeated indices accumulate in
 *       index order, and the last set wins. Index arrays separated by other entries (whose dims NumPy moves first)
 *       fall back. Under an inplace mark an inc/set_subtensor writes into its x instead of a copy.</li>
 *   <li>arange, eye and alloc fill with vector stores ({@link dev.theon.simd.CreationKernels}); tensordot is one
 *       GEMM over matrix views of its operands ({@link dev.theon.simd.TensorDotKernel}), float results only.</li>
 *   <li>The one-hot cross-entropies and their gradients (crossentropy_softmax_1hot_dx under both label rules,
 *       crossentropy_categorical_1hot_grad) have kernels in {@code NnetKernels}: the gradients scale each softmax row
 *       on vectors, or fill zeros, and round as the reference does, so they give its results bit for bit. Labels are
 *       checked first; where the reference raises an error (a label out of range, a label count or gradient length
 *       that does not fit), the node runs the reference perform, so the error is the reference's own.</li>
 * </ul>
 * Intermediates share arrays by the core's buffer plan ({@link dev.theon.backend.BufferPlan}, as the reference backend
 * does; {@code describe()} prints it), with one array per run-time shape in each buffer. The module's build runs the
 * core's whole test suite a second time with this backend as the default.
 * <p>
 * Settings (system properties, since the core's configuration keys are fixed): {@code theon.simd.threads} sizes the
 * one thread pool every kernel shares (default: the number of cores; {@link dev.theon.simd.Pool#setParallelism} at
 * run time), and {@code theon.simd.dump=DIR} writes every generated kernel to DIR as readable Java source.
 * <p>
 * Returned arrays are new arrays that the caller owns. Arrays of 1 MiB or more are mapped memory, zero without a
 * fill and on huge pages where the kernel has them ({@link dev.theon.tensor.NativeMemory}); once the garbage
 * collector finds one unreachable its memory goes to the next array of the same length, and the core asks for a
 * collection once the memory held passes a trigger (256 MiB at the least), so a loop that drops large results cycles
 * through bounded memory with no tuning; {@code native_memory_limit} (by default {@code -XX:MaxDirectMemorySize},
 * else the heap limit) is the hard bound. To allocate nothing at all in steady state, compile with
 * {@code Theon.options().borrowOutputs(true)}: each call then returns the function's own buffers, which the same
 * thread's next call overwrites (see {@code Options.borrowOutputs}).
 * <p>
 * DEBUG mode (and nan_guard) check every node's float outputs for NaN/Inf; DEBUG mode also runs every node that ran
 * a SIMD kernel through its reference perform and compares, node by node ({@link dev.theon.simd.ReferenceCheck}).
 */
package dev.theon.simd;
