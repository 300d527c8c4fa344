package dev.theon.rewrite;

import dev.theon.graph.Apply;
import dev.theon.graph.FunctionGraph;
import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;

import java.util.List;
import java.util.Set;

/**
 * A rewrite of one node: given a node of the graph, the variables that replace its outputs (null entries keep an
 * output as it is), or null when it does not apply. {@code keys} say which nodes to offer it: a {@link ScalarOp} for
 * the elementwise nodes of that scalar op, an op class for its nodes; an empty list means every node.
 * Most local rewrites are written as patterns ({@link Pattern}); the others as small functions.
 */
public record LocalRewrite(String name, Phase phase, Set<String> tags, boolean onByDefault, List<Object> keys, Fn fn) implements Rewrite {

    /** The rewrite itself. It must not change the graph: it builds new variables and returns them. */
    @FunctionalInterface
    public interface Fn {
        List<Variable> apply(Apply node, FunctionGraph graph);
    }

    public LocalRewrite {
        tags = Set.copyOf(tags);
        keys = List.copyOf(keys);
    }

    /** A rewrite of the nodes with these keys, on by default. */
    public static LocalRewrite of(String name, Phase phase, List<Object> keys, Fn fn, String... tags) {
        return new LocalRewrite(name, phase, Set.of(tags), true, keys, fn);
    }

    /** A rewrite of single-output nodes with these keys returning the replacement of output 0 (or null). */
    public static LocalRewrite single(String name, Phase phase, List<Object> keys, java.util.function.BiFunction<Apply, FunctionGraph, Variable> fn, String... tags) {
        return of(name, phase, keys, (node, g) -> {
            Variable r = fn.apply(node, g);
            return r == null ? null : List.of(r);
        }, tags);
    }

    /** The same rewrite, off unless included by name or tag. */
    public LocalRewrite offByDefault() { return new LocalRewrite(name, phase, tags, false, keys, fn); }

    /** The key a node is indexed by: the scalar op of an elementwise node, else the op's class. */
    public static Object keyOf(Op op) { return op instanceof Elemwise e ? e.scalar() : op.getClass(); }
}
