package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Variable;

import java.util.Map;

/** The variables a {@link Pattern} bound, by name. */
public record Match(Map<String, Variable> bindings) {

    public Variable get(String name) {
        Variable v = bindings.get(name);
        if (v == null) throw new IllegalArgumentException("the pattern binds no variable named '" + name + "'");
        return v;
    }

    /** The node computing the variable bound to {@code name}. */
    public Apply node(String name) { return get(name).owner(); }

    /** The constant bound to {@code name}. */
    public Constant constant(String name) { return (Constant) get(name); }
}
