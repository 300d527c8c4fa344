package dev.theon.print;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The graph in Graphviz DOT (pydotprint's job): ops are boxes, inputs green ellipses, shared variables cyan,
 * constants grey, outputs blue; edges carry the type, so {@code dot -Tsvg} draws a readable picture.
 */
public final class Dot {
    private Dot() {}

    public static String of(Variable... outputs) { return of(List.of(outputs), List.of()); }

    public static String of(FunctionGraph g) { return of(g.outputs(), g.inputs()); }

    public static String of(List<Variable> outputs, List<Variable> inputs) {
        StringBuilder b = new StringBuilder("digraph theon {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n");
        Map<Object, String> ids = new IdentityHashMap<>();
        List<Apply> nodes = FunctionGraph.toposort(outputs, Set.of());
        for (Apply a : nodes) {
            String id = id(a, ids);
            b.append("  ").append(id).append(" [shape=box, style=filled, fillcolor=\"#ffffff\", label=\"").append(esc(a.op().name())).append("\"];\n");
            for (int i = 0; i < a.inputs().size(); i++) {
                Variable in = a.input(i);
                String src = in.isRoot() ? root(in, b, ids) : id(in.owner(), ids);
                b.append("  ").append(src).append(" -> ").append(id).append(" [label=\"").append(a.inputs().size() > 1 ? i + " " : "")
                        .append(esc(in.type().toString())).append("\"];\n");
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            Variable o = outputs.get(i);
            String oid = "out" + i;
            b.append("  ").append(oid).append(" [shape=ellipse, style=filled, fillcolor=\"#9fc5f8\", label=\"")
                    .append(esc(o.name() != null ? o.name() : "output " + i)).append("\"];\n");
            String src = o.isRoot() ? root(o, b, ids) : id(o.owner(), ids);
            b.append("  ").append(src).append(" -> ").append(oid).append(" [label=\"").append(esc(o.type().toString())).append("\"];\n");
        }
        for (Variable in : inputs) root(in, b, ids);
        return b.append("}\n").toString();
    }

    private static String root(Variable v, StringBuilder b, Map<Object, String> ids) {
        boolean fresh = !ids.containsKey(v);
        String id = id(v, ids);
        if (fresh) {
            String color = v instanceof Constant ? "#dddddd" : v instanceof SharedVariable ? "#b6e3e9" : "#b7e1a1";
            String label = v instanceof Constant c ? Pretty.constant(c.value()) : v.name() != null ? v.name() : v.type().toString();
            b.append("  ").append(id).append(" [shape=ellipse, style=filled, fillcolor=\"").append(color).append("\", label=\"")
                    .append(esc(label)).append("\"];\n");
        }
        return id;
    }

    private static String id(Object o, Map<Object, String> ids) { return ids.computeIfAbsent(o, k -> "n" + ids.size()); }

    private static String esc(String s) { return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"); }
}
