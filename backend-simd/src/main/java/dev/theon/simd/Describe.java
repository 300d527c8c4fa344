package dev.theon.simd;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

/** How nodes are named in messages and in {@code describe()}: the same wording as the reference backend. */
final class Describe {
    private Describe() {}

    static String node(Apply node, NDArray[] in) {
        StringBuilder b = new StringBuilder(node.op().name()).append('(');
        for (int i = 0; i < node.inputs().size(); i++) {
            Variable v = node.input(i);
            if (i > 0) b.append(", ");
            b.append(v.name() != null ? v.name() : v instanceof Constant c && c.value().size() == 1 ? String.valueOf(c.value().flatDouble(0)) : "<" + v.type().dtype() + ">");
            if (in != null && in[i] != null) b.append(' ').append(Shapes.str(in[i].shape()));
        }
        b.append(')');
        Variable out = node.outputs().get(0);
        if (out.name() != null) b.append(" -> '").append(out.name()).append('\'');
        if (out.createdAt() != null) b.append(" created at ").append(out.createdAt());
        return b.toString();
    }
}
