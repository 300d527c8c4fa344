package dev.theon.simd;

import dev.theon.backend.NodeText;
import dev.theon.graph.Apply;
import dev.theon.tensor.NDArray;

/** How nodes are named in messages and in {@code describe()}: the core's wording, shared by every backend. */
final class Describe {
    private Describe() {}

    static String node(Apply node, NDArray[] in) {
        return NodeText.of(node, in == null ? null : i -> in[i] == null ? null : in[i].shape());
    }
}
