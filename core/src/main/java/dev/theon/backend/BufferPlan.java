package dev.theon.backend;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.TensorType;
import dev.theon.rewrite.Inplace;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which array buffer each node output is computed into. Intermediates whose lives do not overlap share a buffer
 * when they have the same dtype and static shape, so a function needs about as many arrays as values alive at once,
 * not one per node. A value's life runs from the node computing it to its last reader, extended to the life of any
 * value that may view it (outputs of ops that do not own their storage); graph outputs live on. A node computing in
 * place writes into its destroyed input's buffer. Only outputs of ops that own their storage get a buffer; the
 * others (views) get none.
 * <p>
 * Every backend that runs a graph node by node on the CPU can use it: the plan is computed from the graph alone, and
 * a backend passes the destroy marks it honours (a kernel that cannot compute in place must not inherit its destroyed
 * input's buffer, or it would overwrite that input before reading it). At run time a backend hands a node the array
 * of each of its outputs' buffers (null when the buffer has none yet), and keeps what the node produced as the
 * buffer's array only when it is storage of the node's own (not a view of an input).
 */
public final class BufferPlan {
    /** buffer[k][j]: the buffer of output j of node k, or -1. */
    private final int[][] buffer;
    private final int count;
    private final int planned;

    private record Key(dev.theon.tensor.DType dtype, List<Long> shape) {
        static Key of(TensorType t) { return new Key(t.dtype(), Arrays.stream(t.shape()).boxed().toList()); }
    }

    /**
     * @param nodes       the nodes in the order they run
     * @param destroys    by node, the inplace mark the backend honours, or null
     * @param nSlots      how many slots number the graph's values ({@link Slots})
     * @param nodeIn      by node, the slots of its inputs
     * @param nodeOut     by node, the slots of its outputs
     * @param outputSlots the slots of the graph's outputs
     */
    public BufferPlan(List<Apply> nodes, FunctionGraph.Destroy[] destroys, int nSlots, int[][] nodeIn, int[][] nodeOut, int[] outputSlots) {
        int n = nodes.size();
        int[] lastUse = new int[nSlots];
        Arrays.fill(lastUse, -1);
        for (int k = 0; k < n; k++) for (int s : nodeIn[k]) lastUse[s] = k;
        for (int s : outputSlots) lastUse[s] = Integer.MAX_VALUE;
        // a view keeps what it views alive
        for (int k = n - 1; k >= 0; k--) {
            if (Inplace.ownsOutputs(nodes.get(k).op())) continue;
            int life = -1;
            for (int s : nodeOut[k]) life = Math.max(life, lastUse[s]);
            for (int s : nodeIn[k]) lastUse[s] = Math.max(lastUse[s], life);
        }
        int[] bufferOf = new int[nSlots];
        Arrays.fill(bufferOf, -1);
        Map<Key, Deque<Integer>> free = new HashMap<>();
        Map<Integer, Key> keyOf = new HashMap<>();
        buffer = new int[n][];
        int next = 0;
        for (int k = 0; k < n; k++) {
            Apply node = nodes.get(k);
            FunctionGraph.Destroy d = destroys[k];
            boolean owns = Inplace.ownsOutputs(node.op());
            buffer[k] = new int[nodeOut[k].length];
            int inherited = -1;
            for (int j = 0; j < nodeOut[k].length; j++) {
                int s = nodeOut[k][j];
                int b = -1;
                if (d != null && d.output() == j && bufferOf[nodeIn[k][d.input()]] >= 0) {
                    b = inherited = bufferOf[nodeIn[k][d.input()]];
                } else if (owns) {
                    Key key = Key.of(node.output(j).type());
                    Deque<Integer> q = free.get(key);
                    b = q != null && !q.isEmpty() ? q.pop() : next++;
                    keyOf.put(b, key);
                }
                bufferOf[s] = b;
                buffer[k][j] = b;
            }
            // values whose last reader is this node (or that nobody reads) give their buffer back
            for (int s : nodeIn[k]) release(s, k, bufferOf, lastUse, inherited, free, keyOf);
            for (int s : nodeOut[k]) if (lastUse[s] < 0) release(s, -1, bufferOf, lastUse, -1, free, keyOf);
        }
        count = next;
        int p = 0;
        for (int[] bs : buffer) for (int b : bs) if (b >= 0) p++;
        planned = p;
    }

    /** The buffer output {@code output} of node {@code node} is computed into, or -1 when it gets none (a view). */
    public int buffer(int node, int output) { return buffer[node][output]; }

    /** How many arrays the plan needs. */
    public int count() { return count; }

    /** The line executables print in {@code describe()}: "buffers: 2 arrays for 3 node outputs". */
    public String summary() { return "buffers: " + count + " arrays for " + planned + " node outputs"; }

    private static void release(int s, int k, int[] bufferOf, int[] lastUse, int inherited, Map<Key, Deque<Integer>> free, Map<Integer, Key> keyOf) {
        int b = bufferOf[s];
        if (b < 0 || lastUse[s] != k || b == inherited) return;
        bufferOf[s] = -1;  // released once, even when the node reads the value twice
        free.computeIfAbsent(keyOf.get(b), x -> new ArrayDeque<>()).push(b);
    }
}
