package dev.theon.backend;

import dev.theon.graph.FunctionGraph;

import java.util.List;

/** Runs each node's reference {@code perform}, op by op: the oracle every other backend is checked against. */
public final class ReferenceBackend implements Backend {
    public static final String NAME = "reference";

    @Override public String name() { return NAME; }
    @Override public List<String> devices() { return List.of("cpu"); }

    @Override public Executable compile(FunctionGraph graph, CompileOptions options) {
        return new ReferenceExecutable(graph, options);
    }
}
