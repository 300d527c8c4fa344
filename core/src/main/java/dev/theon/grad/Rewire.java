package dev.theon.grad;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Rebuilds the part of a graph that depends on some variables with other variables in their place. */
final class Rewire {
    private Rewire() {}

    static Variable replace(Variable out, Map<Variable, Variable> replacements) {
        Map<Variable, Variable> memo = new IdentityHashMap<>(replacements);
        for (Apply node : FunctionGraph.toposort(List.of(out), replacements.keySet())) {
            List<Variable> ins = new ArrayList<>();
            boolean changed = false;
            for (Variable v : node.inputs()) {
                Variable m = memo.get(v);
                ins.add(m != null ? m : v);
                changed |= m != null;
            }
            if (!changed) continue;
            Apply copy = node.op().make(ins);
            for (int i = 0; i < node.outputs().size(); i++) memo.put(node.output(i), copy.output(i));
        }
        Variable r = memo.get(out);
        return r != null ? r : out;
    }

}
