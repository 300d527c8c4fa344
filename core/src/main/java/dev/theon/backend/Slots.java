package dev.theon.backend;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Variable;

import java.util.IdentityHashMap;
import java.util.Map;

/** Numbers every value of a graph for an executable's slot array: inputs first, then node by node, then outputs. */
public final class Slots {
    private Slots() {}

    public static Map<Variable, Integer> number(FunctionGraph graph) {
        Map<Variable, Integer> slot = new IdentityHashMap<>();
        for (Variable v : graph.inputs()) slot.putIfAbsent(v, slot.size());
        for (Apply n : graph.nodes()) {
            for (Variable v : n.inputs()) slot.putIfAbsent(v, slot.size());
            for (Variable v : n.outputs()) slot.putIfAbsent(v, slot.size());
        }
        for (Variable v : graph.outputs()) slot.putIfAbsent(v, slot.size());
        return slot;
    }
}
