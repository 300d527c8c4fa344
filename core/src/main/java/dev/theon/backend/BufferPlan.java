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
 */
final class BufferPlan {
    /** buffer[k][j]: the buffer of output j of node k, or -1. */
    final int[][] buffer;
    final int count;

    private record Key(dev.theon.tensor.DType dtype, List<Long> shape) {
        static Key of(TensorType t) { return new Key(t.dtype(), Arrays.stream(t.shape()).boxed().toList()); }
    }

    BufferPlan(FunctionGraph graph, List<Apply> nodes, int nSlots, int[][] nodeIn, int[][] nodeOut, int[] outputSlots) {
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
            FunctionGraph.Destroy d = graph.destroyed(node);
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
    }

    private static void release(int s, int k, int[] bufferOf, int[] lastUse, int inherited, Map<Key, Deque<Integer>> free, Map<Integer, Key> keyOf) {
        int b = bufferOf[s];
        if (b < 0 || lastUse[s] != k || b == inherited) return;
        bufferOf[s] = -1;  // released once, even when the node reads the value twice
        free.computeIfAbsent(keyOf.get(b), x -> new ArrayDeque<>()).push(b);
    }
}
