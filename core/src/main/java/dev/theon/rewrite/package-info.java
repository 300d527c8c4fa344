/**
 * Graph rewrites as data. {@link dev.theon.compile.Compiler} clones the user's graph with floatX bound, runs the
 * rewrites the mode selects on the clone, and hands the result to the backend; backends only ever see rewritten graphs.
 * <ul>
 *   <li><b>Rewrites.</b> A {@link dev.theon.rewrite.LocalRewrite} rewrites one node: most are a
 *       {@link dev.theon.rewrite.Pattern} (an op tree with named pattern variables) with an optional condition and a
 *       replacement ({@link dev.theon.rewrite.PatternRewrite}); the rest are small functions of a node. A
 *       {@link dev.theon.rewrite.GlobalRewrite} is a named pass over the whole graph: merge, fusion, inplace.</li>
 *   <li><b>One database.</b> {@link dev.theon.rewrite.RewriteDB} holds every rewrite with its name, tags and
 *       {@link dev.theon.rewrite.Phase}: canonicalize, stabilize, specialize, fuse, inplace. FAST_RUN runs all that are
 *       on by default, FAST_COMPILE those tagged merge, constant_folding or stability, DEBUG the same as FAST_RUN and
 *       then checks; {@code Options.including/excluding} add and remove by tag or name.</li>
 *   <li><b>Running.</b> {@link dev.theon.rewrite.Rewriter} runs the phases in order; a phase's local rewrites (with
 *       those of earlier phases) and merge run to a fixed point. What fired is recorded
 *       ({@link dev.theon.rewrite.RewriteContext}), logged one line per firing with {@code print_rewrites}, and
 *       shown by {@code Function.describe()} and {@code Function.rewrites()}.</li>
 *   <li><b>Types.</b> A replacement must keep the replaced variable's dtype and static type, broadcastable dims
 *       included; {@link dev.theon.rewrite.Types#conform} casts or adds leading broadcastable axes where that is
 *       enough, and otherwise the rewrite does not fire.</li>
 * </ul>
 * Where this departs from Theano, and why:
 * <ul>
 *   <li>The graph is changed by re-pointing readers in place ({@link dev.theon.graph.FunctionGraph#replace}), so a
 *       rewrite costs time in proportion to what it touches; compiling a training function takes milliseconds.</li>
 *   <li>Inplace is a mark on the node in the graph ({@link dev.theon.graph.FunctionGraph#markDestroys}) rather than
 *       a variant of each op: the op stays the same value (so merging and kernel caches see one op), and a backend
 *       that does not compute in place simply ignores the mark, which is always correct. The reference backend
 *       honours it, and its buffer plan gives dead intermediates' arrays to later nodes.</li>
 *   <li>Inplace never overwrites a function input or a shared value, even one read only once: the caller owns the
 *       arguments, and a shared value must stay intact until the call commits its updates (a failing call writes
 *       nothing).</li>
 *   <li>DEBUG compares the rewritten function, on the chosen backend, with the graph run op by op on the reference
 *       backend with only its stability rewrites, which change values on purpose (a float32 log of a sigmoid that
 *       underflows is merely inaccurate, not infinite, so it cannot simply be skipped). Outputs are compared, not
 *       every intermediate: rewritten nodes have no counterpart one by one.</li>
 *   <li>Gradients are built before rewriting, so the stability rewrites also recognise the derivatives of the
 *       unstable forms (a division by a value the expression is then multiplied by, the gradient of log-sum-exp).</li>
 * </ul>
 */
package dev.theon.rewrite;
