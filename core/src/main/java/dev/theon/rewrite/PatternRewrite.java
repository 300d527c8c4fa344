package dev.theon.rewrite;

import dev.theon.graph.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Rewrites written as data: a {@link Pattern} for the expression to find, an optional condition on what it bound,
 * and the replacement built from the bindings. The result is a {@link LocalRewrite} offered only the nodes whose op
 * is the pattern's root.
 */
public final class PatternRewrite {
    private PatternRewrite() {}

    /** {@code pattern -> build(match)}. */
    public static LocalRewrite rule(String name, Phase phase, Pattern pattern, Function<Match, Variable> build, String... tags) {
        return rule(name, phase, pattern, build, m -> true, tags);
    }

    /** {@code pattern -> build(match)} where {@code when(match)} holds. */
    public static LocalRewrite rule(String name, Phase phase, Pattern pattern, Function<Match, Variable> build,
                                    Predicate<Match> when, String... tags) {
        Object key = pattern.key();
        if (key == null) throw new IllegalArgumentException("rewrite " + name + ": the pattern's root must be an op");
        List<Object> keys = new ArrayList<>();
        keys.add(key);
        return new LocalRewrite(name, phase, Set.of(tags), true, keys, (node, graph) -> {
            if (node.outputs().size() != 1) return null;
            Match m = pattern.match(node.output(0));
            if (m == null || !when.test(m)) return null;
            Variable r = build.apply(m);
            return r == null ? null : List.of(r);
        });
    }
}
