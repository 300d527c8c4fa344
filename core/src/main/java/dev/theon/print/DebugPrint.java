package dev.theon.print;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Theano's {@code debugprint}: the graph as an indented tree, one line per variable with its op, id, name and type.
 * A node reached again prints only its id, so shared subexpressions are visible and the output stays linear.
 */
public final class DebugPrint {
    private DebugPrint() {}

    public static String print(Variable... outputs) { return print(List.of(outputs)); }

    public static String print(List<Variable> outputs) {
        StringBuilder b = new StringBuilder();
        Map<Object, String> ids = new IdentityHashMap<>();
        for (Variable v : outputs) line(b, v, "", ids);
        return b.toString();
    }

    public static String print(FunctionGraph g) { return print(g.outputs()); }

    private static String id(Object o, Map<Object, String> ids) {
        return ids.computeIfAbsent(o, k -> {
            int n = ids.size();
            StringBuilder s = new StringBuilder();
            do { s.insert(0, (char) ('A' + n % 26)); n = n / 26 - 1; } while (n >= 0);
            return s.toString();
        });
    }

    private static void line(StringBuilder b, Variable v, String indent, Map<Object, String> ids) {
        Apply a = v.owner();
        Object key = a != null ? a : v;
        boolean seen = ids.containsKey(key);
        String id = id(key, ids);
        b.append(indent);
        if (a == null) {
            if (v instanceof Constant c) b.append("Constant{").append(Pretty.constant(c.value())).append('}');
            else b.append(v instanceof SharedVariable ? "Shared " : "").append(v.name() != null ? v.name() : "<input>");
        } else {
            b.append(a.op().name());
            if (a.outputs().size() > 1) b.append('.').append(v.index());
        }
        b.append(" [id ").append(id).append(']');
        if (v.name() != null && a != null) b.append(" '").append(v.name()).append('\'');
        b.append(" ").append(v.type()).append('\n');
        if (a == null || seen) return;
        String child = indent.isEmpty() ? " |" : indent + " |";
        for (Variable in : a.inputs()) line(b, in, child, ids);
    }
}
