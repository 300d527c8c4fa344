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
 * </ul>
 * Settings (system properties, since the core's configuration keys are fixed): {@code theon.simd.threads} sizes the
 * one thread pool every kernel shares (default: the number of cores; {@link dev.theon.simd.Pool#setParallelism} at
 * run time), and {@code theon.simd.dump=DIR} writes every generated kernel to DIR as readable Java source.
 * <p>
 * Returned arrays are fresh native memory that only a garbage collection frees. A program that calls functions with
 * large outputs in a loop, with little else on the Java heap, should bound {@code -XX:MaxDirectMemorySize}: the JVM
 * then collects the arrays it no longer uses (otherwise garbage piles up to the size of the heap limit and every new
 * array pays for fresh pages).
 * <p>
 * DEBUG mode (and nan_guard) check every node's float outputs for NaN/Inf; DEBUG mode also runs every node that ran
 * a SIMD kernel through its reference perform and compares, node by node ({@link dev.theon.simd.ReferenceCheck}).
 */
package dev.theon.simd;
