package dev.theon.simd;

import dev.theon.TheonException;
import dev.theon.backend.BufferPlan;
import dev.theon.backend.CompileOptions;
import dev.theon.backend.FramePool;
import dev.theon.backend.Slots;
import dev.theon.backend.NodeText;
import dev.theon.backend.Overwrite;
import dev.theon.backend.Executable;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A graph compiled for the SIMD backend: one {@link Kernel} per node, run in graph order.
 * <p>
 * It keeps the contracts of the reference executable. Buffer plan: the core's {@link BufferPlan}, as the reference
 * uses it, so intermediates whose lives do not overlap share buffers (a chain of matrix products needs two, not one
 * per product, and the arrays it writes stay warm in cache). The plan honours only the inplace marks of kernels that
 * compute in place. A buffer keeps one array per run-time shape ({@link BufferArrays}), since values whose static
 * shapes agree may differ in size. Outputs the plan gives no buffer (ops that may return views, and copying shape ops
 * such as concatenation) keep an array of their own node from call to call instead. Each call takes a frame of these
 * arrays (so concurrent calls never share intermediates); an array is kept in a frame only when it is a node's own
 * storage and is not handed to the caller. A returned output that shares storage with an argument, a shared value, a
 * constant or an earlier output is copied first. Errors name the node; NaN/Inf checking (DEBUG mode or nan_guard)
 * checks every intermediate, and DEBUG mode also runs each node's reference {@code perform} on the same inputs and
 * compares (node by node, so a difference is pinned to the node that made it).
 * <p>
 * With borrowed outputs ({@link CompileOptions#borrowOutputs}) the frame keeps the returned outputs too (not the
 * update values), and its next call, on the same thread ({@link FramePool}), writes into them again: in steady state a
 * call allocates no array. A call whose arguments share storage with the frame's arrays (a borrowed result passed
 * back in) drops those arrays first, so no kernel writes into what it reads.
 */
final class SimdExecutable implements Executable {
    private final FunctionGraph graph;
    private final CompileOptions options;
    private final Apply[] nodes;
    private final Kernel[] kernels;
    private final int[][] nodeIn;
    private final int[][] nodeOut;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final NDArray[] slotConstants;  // by slot, null where not a constant
    private final NDArray[] constants;      // the distinct constant arrays, for the aliasing check of results
    private final ReferenceCheck check;     // null unless DEBUG mode or nan_guard
    private final FunctionGraph.Destroy[] destroys;  // by node: the inplace mark this backend honours, or null
    private final BufferPlan plan;
    private final int[] capacity;                    // by buffer: how many node outputs the plan puts in it
    private final DType[][] outDTypes;               // by node and output
    private final FramePool<Frame> frames;
    private final dev.theon.backend.Profile profile;  // null unless profiling

    /**
     * One call's state: the planned buffers' arrays (one per run-time shape, see {@link BufferArrays}) and the shape
     * each planned output had on the last call through this frame; for outputs without a planned buffer, each node's
     * own arrays from that call; the slot values; and each node's operand arrays (kept to spare the allocations).
     */
    private static final class Frame {
        final BufferArrays[] buffers;
        final long[][][] shapes;
        final NDArray[][] outs;
        final NDArray[][] ins;
        final NDArray[] values;

        Frame(int[][] nodeIn, int[][] nodeOut, int nSlots, int[] capacity) {
            buffers = new BufferArrays[capacity.length];
            for (int b = 0; b < capacity.length; b++) buffers[b] = new BufferArrays(capacity[b]);
            shapes = new long[nodeOut.length][][];
            outs = new NDArray[nodeOut.length][];
            ins = new NDArray[nodeIn.length][];
            for (int k = 0; k < nodeOut.length; k++) {
                shapes[k] = new long[nodeOut[k].length][];
                outs[k] = new NDArray[nodeOut[k].length];
                ins[k] = new NDArray[nodeIn[k].length];
            }
            values = new NDArray[nSlots];
        }
    }

    SimdExecutable(FunctionGraph graph, CompileOptions options) {
        this.graph = graph;
        this.options = options;
        List<Apply> order = graph.nodes();
        this.nodes = order.toArray(new Apply[0]);
        Map<Variable, Integer> slot = Slots.number(graph);
        slotConstants = new NDArray[slot.size()];
        List<NDArray> consts = new ArrayList<>();
        slot.forEach((v, s) -> { if (v instanceof Constant c) { slotConstants[s] = c.value(); consts.add(c.value()); } });
        constants = consts.toArray(new NDArray[0]);
        inputSlots = graph.inputs().stream().mapToInt(slot::get).toArray();
        outputSlots = graph.outputs().stream().mapToInt(slot::get).toArray();
        nodeIn = new int[nodes.length][];
        nodeOut = new int[nodes.length][];
        kernels = new Kernel[nodes.length];
        destroys = new FunctionGraph.Destroy[nodes.length];
        for (int k = 0; k < nodes.length; k++) {
            nodeIn[k] = nodes[k].inputs().stream().mapToInt(slot::get).toArray();
            nodeOut[k] = nodes[k].outputs().stream().mapToInt(slot::get).toArray();
            kernels[k] = Kernels.forNode(nodes[k]);
            if (kernels[k].computesInPlace()) destroys[k] = graph.destroyed(nodes[k]);
        }
        plan = new BufferPlan(order, destroys, slot.size(), nodeIn, nodeOut, outputSlots);
        capacity = new int[plan.count()];
        outDTypes = new DType[nodes.length][];
        for (int k = 0; k < nodes.length; k++) {
            outDTypes[k] = new DType[nodeOut[k].length];
            for (int j = 0; j < nodeOut[k].length; j++) {
                outDTypes[k][j] = nodes[k].output(j).dtype();
                if (plan.buffer(k, j) >= 0) capacity[plan.buffer(k, j)]++;
            }
        }
        check = options.checkNaN() ? new ReferenceCheck(options) : null;
        profile = options.profile() ? new dev.theon.backend.Profile(order, java.util.Arrays.stream(kernels).map(Kernel::describe).toList()) : null;
        frames = new FramePool<>(options.borrowOutputs(), () -> new Frame(nodeIn, nodeOut, slotConstants.length, capacity));
    }

    @Override public dev.theon.backend.Profile profile() { return profile; }

    @Override public FunctionGraph graph() { return graph; }

    @Override public NDArray[] run(NDArray[] inputs) {
        FramePool.Lease<Frame> lease = frames.take();
        Frame f = lease.frame();
        // a borrowed result passed back in must not be computed into while it is read
        if (options.borrowOutputs()) forgetShared(f, inputs);
        NDArray[] values = f.values;
        System.arraycopy(slotConstants, 0, values, 0, values.length);
        for (int i = 0; i < inputSlots.length; i++) values[inputSlots[i]] = inputs[i];
        for (int k = 0; k < nodes.length; k++) {
            int[] ins = nodeIn[k];
            NDArray[] in = f.ins[k];
            for (int i = 0; i < ins.length; i++) in[i] = values[ins[i]];
            NDArray[] out = f.outs[k];
            for (int j = 0; j < out.length; j++) {
                int b = plan.buffer(k, j);
                // the buffer's array of the shape this output had last time (sizes rarely change from call to call)
                if (b >= 0) out[j] = f.shapes[k][j] == null ? null : f.buffers[b].find(outDTypes[k][j], f.shapes[k][j]);
            }
            FunctionGraph.Destroy d = destroys[k];
            NDArray target = d != null && overwritable(in, d.input(), inputs) ? in[d.input()] : null;
            // a marked output's buffer is its destroyed input's: when that input may not be overwritten now, a new array
            if (d != null) out[d.output()] = target;
            // DEBUG compares against the reference perform on the inputs as they were: keep the one about to be overwritten
            NDArray[] before = check != null && target != null ? in.clone() : null;
            if (before != null) before[d.input()] = target.copy();
            long started = profile != null ? System.nanoTime() : 0;
            try {
                kernels[k].run(in, out);
                if (profile != null) profile.node(k, System.nanoTime() - started);
            } catch (TheonException.ShapeError e) {
                throw new TheonException.ShapeError(e.getMessage() + "\n  in node " + NodeText.of(nodes[k], in));
            } catch (TheonException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TheonException.RuntimeError("node " + NodeText.of(nodes[k], in) + " failed: " + e, e);
            }
            int[] outs = nodeOut[k];
            for (int j = 0; j < out.length; j++) {
                if (out[j] == null) throw new IllegalStateException(nodes[k].op().name() + " did not produce output " + j);
                values[outs[j]] = out[j];
                int b = plan.buffer(k, j);
                if (b < 0) continue;
                // the buffer's array for its next value, only when it is storage of the node's own
                boolean own = true;
                for (NDArray x : in) own &= x == target || !out[j].sharesStorageWith(x);
                if (own) f.buffers[b].keep(out[j]);
                if (f.shapes[k][j] == null || !BufferArrays.sameShape(out[j], f.shapes[k][j])) f.shapes[k][j] = out[j].shape();
            }
            if (check != null) check.afterNode(nodes[k], kernels[k], before != null ? before : in, out);
        }
        NDArray[] result = new NDArray[outputSlots.length];
        for (int i = 0; i < result.length; i++) {
            NDArray r = values[outputSlots[i]];
            boolean aliased = false;
            for (NDArray a : inputs) aliased |= r.sharesStorageWith(a);
            for (int j = 0; j < i; j++) aliased |= r.sharesStorageWith(result[j]);
            for (NDArray c : constants) aliased |= r.sharesStorageWith(c);  // a constant or a view of one
            result[i] = aliased ? Copy.contiguous(r) : r;
        }
        // returned arrays belong to the caller, except borrowed ones: the frame forgets them
        NDArray[] caller = options.givenToCaller(result);
        for (BufferArrays b : f.buffers) b.forget(caller);
        // a node's own array (outputs without a planned buffer) is kept only when it is not a view and not returned
        for (int k = 0; k < nodes.length; k++) {
            NDArray[] out = f.outs[k];
            NDArray[] in = f.ins[k];
            for (int j = 0; j < out.length; j++) {
                NDArray a = out[j];
                if (plan.buffer(k, j) >= 0) { out[j] = null; continue; }
                boolean keep = true;
                for (NDArray r : caller) keep &= !a.sharesStorageWith(r);
                for (NDArray x : in) keep &= !a.sharesStorageWith(x);
                for (NDArray x : inputs) keep &= !a.sharesStorageWith(x);
                if (!keep) out[j] = null;
            }
            java.util.Arrays.fill(in, null);
        }
        java.util.Arrays.fill(values, null);
        frames.give(lease);
        return result;
    }

    /** Drops from the frame every array that shares storage with one of {@code these}. */
    private static void forgetShared(Frame f, NDArray[] these) {
        for (BufferArrays b : f.buffers) b.forget(these);
        for (NDArray[] out : f.outs) {
            for (int j = 0; j < out.length; j++) {
                if (out[j] == null) continue;
                for (NDArray a : these) if (out[j].sharesStorageWith(a)) { out[j] = null; break; }
            }
        }
    }

    /** {@link Overwrite#allowed}, for a contiguous array from its storage's start: what the kernels write in place. */
    private static boolean overwritable(NDArray[] in, int k, NDArray[] arguments) {
        NDArray t = in[k];
        return t.isContiguous() && t.offset() == 0 && Overwrite.allowed(in, k, arguments);
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        int fallbacks = 0;
        for (Kernel k : kernels) if (k.isFallback()) fallbacks++;
        b.append("backend simd (device cpu, ").append(Pool.parallelism()).append(" threads, ")
                .append(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()).append("-bit vectors), floatX ")
                .append(options.floatX()).append(", mode ").append(options.mode());
        if (options.checkNaN()) b.append(", NaN/Inf checked after every node");
        if (options.mode() == dev.theon.compile.Mode.DEBUG) b.append(", each node cross-checked against its reference perform");
        b.append(", ").append(nodes.length - fallbacks).append(" node(s) on simd kernels, ").append(fallbacks).append(" on the reference fallback\n");
        if (nodes.length > 0) b.append("  ").append(plan.summary()).append(" (an array per run-time shape in each)\n");
        for (int k = 0; k < nodes.length; k++) {
            FunctionGraph.Destroy d = destroys[k];
            b.append(String.format("  %3d  %-40s %-28s %s%s%n", k, NodeText.of(nodes[k]), nodes[k].outputs().get(0).type(), kernels[k].describe(),
                    d == null ? "" : ", output " + d.output() + " computed into input " + d.input()));
        }
        if (nodes.length == 0) b.append("  (no nodes: outputs are inputs or constants)\n");
        return b.toString();
    }
}
