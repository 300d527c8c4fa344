package dev.theon.rewrite;

import dev.theon.graph.FunctionGraph;

import java.util.Set;

/** A named pass over the whole graph (merge, fusion, inplace): it changes the graph and says whether anything changed. */
public record GlobalRewrite(String name, Phase phase, Set<String> tags, boolean onByDefault, Pass pass) implements Rewrite {

    @FunctionalInterface
    public interface Pass {
        boolean run(FunctionGraph graph, RewriteContext ctx);
    }

    public GlobalRewrite { tags = Set.copyOf(tags); }

    public static GlobalRewrite of(String name, Phase phase, Pass pass, String... tags) {
        return new GlobalRewrite(name, phase, Set.of(tags), true, pass);
    }

    public GlobalRewrite offByDefault() { return new GlobalRewrite(name, phase, tags, false, pass); }
}
