package dev.theon.backend;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.List;
import java.util.Map;

/**
 * Runs a graph node by node with each op's reference {@code perform}.
 * <p>
 * Buffer plan ({@link BufferPlan}): each node output owned by its op is computed into a buffer that it shares with
 * other intermediates whose lives do not overlap; a node the destroy handler marked computes into its destroyed
 * input's array. Each call takes a frame of buffers from a pool (so concurrent calls never share intermediates), and
 * the next call that gets the frame writes into the same arrays. An array is kept in a frame only when it is a
 * node's own storage and is not handed to the caller: returned outputs belong to the caller. A returned output that
 * shares storage with an argument, a shared value, a constant or an earlier output is copied first.
 * <p>
 * With borrowed outputs ({@link CompileOptions#borrowOutputs}) the frame keeps the returned outputs too (not the
 * update values), and its next call, on the same thread ({@link FramePool}), overwrites them. A call whose arguments
 * share storage with the frame's arrays (a borrowed result passed back in) drops those arrays first.
 */
final class ReferenceExecutable implements Executable {
    private final FunctionGraph graph;
    private final CompileOptions options;
    private final List<Apply> nodes;
    private final int[][] nodeIn;
    private final int[][] nodeOut;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final NDArray[] constants;  // by slot, null where not a constant
    private final FunctionGraph.Destroy[] destroys;  // by node, null where it computes into fresh storage
    private final BufferPlan plan;
    private final FramePool<NDArray[]> frames;
    private final Profile profile;  // null unless profiling

    ReferenceExecutable(FunctionGraph graph, CompileOptions options) {
        this.graph = graph;
        this.options = options;
        this.nodes = graph.nodes();
        Map<Variable, Integer> slot = Slots.number(graph);
        int nSlots = slot.size();
        constants = new NDArray[nSlots];
        slot.forEach((v, s) -> { if (v instanceof Constant c) constants[s] = c.value(); });
        inputSlots = graph.inputs().stream().mapToInt(slot::get).toArray();
        outputSlots = graph.outputs().stream().mapToInt(slot::get).toArray();
        nodeIn = new int[nodes.size()][];
        nodeOut = new int[nodes.size()][];
        destroys = new FunctionGraph.Destroy[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            nodeIn[k] = nodes.get(k).inputs().stream().mapToInt(slot::get).toArray();
            nodeOut[k] = nodes.get(k).outputs().stream().mapToInt(slot::get).toArray();
            destroys[k] = graph.destroyed(nodes.get(k));
        }
        plan = new BufferPlan(nodes, destroys, nSlots, nodeIn, nodeOut, outputSlots);
        profile = options.profile() ? new Profile(nodes, java.util.Collections.nCopies(nodes.size(), "reference perform")) : null;
        frames = new FramePool<>(options.borrowOutputs(), () -> new NDArray[plan.count()]);
    }

    @Override public Profile profile() { return profile; }

    @Override public FunctionGraph graph() { return graph; }

    @Override public NDArray[] run(NDArray[] inputs) {
        FramePool.Lease<NDArray[]> lease = frames.take();
        NDArray[] frame = lease.frame();
        // a borrowed result passed back in must not be computed into while it is read
        if (options.borrowOutputs()) forgetShared(frame, inputs);
        NDArray[] values = constants.clone();
        for (int i = 0; i < inputSlots.length; i++) values[inputSlots[i]] = inputs[i];
        for (int k = 0; k < nodes.size(); k++) {
            Apply node = nodes.get(k);
            int[] ins = nodeIn[k];
            NDArray[] in = new NDArray[ins.length];
            for (int i = 0; i < ins.length; i++) in[i] = values[ins[i]];
            NDArray[] out = new NDArray[nodeOut[k].length];
            for (int j = 0; j < out.length; j++) if (plan.buffer(k, j) >= 0) out[j] = frame[plan.buffer(k, j)];
            FunctionGraph.Destroy d = destroys[k];
            NDArray target = d != null && Overwrite.allowed(in, d.input(), inputs) ? in[d.input()] : null;
            if (d != null) out[d.output()] = target;
            long started = profile != null ? System.nanoTime() : 0;
            try {
                node.op().perform(node, in, out);
                if (profile != null) profile.node(k, System.nanoTime() - started);
            } catch (TheonException.ShapeError e) {
                throw new TheonException.ShapeError(e.getMessage() + "\n  in node " + NodeText.of(node, in));
            } catch (TheonException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new TheonException.RuntimeError("node " + NodeText.of(node, in) + " failed: " + e, e);
            }
            for (int j = 0; j < out.length; j++) {
                if (out[j] == null) throw new IllegalStateException(node.op().name() + " did not produce output " + j);
                values[nodeOut[k][j]] = out[j];
                if (options.checkNaN()) FiniteCheck.check(node, j, out[j], in, options);
                int buf = plan.buffer(k, j);
                if (buf < 0) continue;
                // keep the array for the buffer's next value only when it is storage of its own
                boolean own = true;
                for (int i = 0; i < in.length; i++) own &= in[i] == target || !out[j].sharesStorageWith(in[i]);
                if (own) frame[buf] = out[j];
            }
        }
        NDArray[] result = new NDArray[outputSlots.length];
        for (int i = 0; i < result.length; i++) {
            NDArray r = values[outputSlots[i]];
            boolean aliased = false;
            for (NDArray a : inputs) aliased |= r.sharesStorageWith(a);
            for (int j = 0; j < i; j++) aliased |= r.sharesStorageWith(result[j]);
            for (NDArray c : constants) aliased |= c != null && r.sharesStorageWith(c);  // a constant or a view of one
            result[i] = aliased ? r.copy() : r;
        }
        // returned arrays belong to the caller, except borrowed ones: the frame forgets them
        NDArray[] caller = options.givenToCaller(result);
        forgetShared(frame, caller);
        frames.give(lease);
        return result;
    }

    /** Drops from the frame every array that shares storage with one of {@code arrays}. */
    private static void forgetShared(NDArray[] frame, NDArray[] arrays) {
        for (int b = 0; b < frame.length; b++) {
            NDArray a = frame[b];
            if (a == null) continue;
            for (NDArray x : arrays) if (a.sharesStorageWith(x)) { frame[b] = null; break; }
        }
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("backend reference (device cpu), floatX ").append(options.floatX()).append(", mode ").append(options.mode())
                .append(options.checkNaN() ? ", NaN/Inf checked after every node" : "").append('\n');
        if (!nodes.isEmpty()) b.append("  ").append(plan.summary()).append('\n');
        for (int k = 0; k < nodes.size(); k++) {
            Apply n = nodes.get(k);
            FunctionGraph.Destroy d = destroys[k];
            b.append(String.format("  %3d  %-40s %-28s reference perform%s%n", k, NodeText.of(n), n.outputs().get(0).type(),
                    d == null ? "" : ", output " + d.output() + " computed into input " + d.input()));
        }
        if (nodes.isEmpty()) b.append("  (no nodes: outputs are inputs or constants)\n");
        return b.toString();
    }
}
