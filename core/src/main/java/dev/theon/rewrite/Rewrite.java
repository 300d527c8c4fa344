package dev.theon.rewrite;

import java.util.Set;

/**
 * An entry of the rewrite database: a {@link LocalRewrite} (one node at a time) or a {@link GlobalRewrite} (a pass over
 * the whole graph). Each has a unique name, tags that {@code Options.including/excluding} select by (the name counts as
 * a tag, and so does the phase's tag), the phase it runs in, and whether it is on by default.
 */
public sealed interface Rewrite permits LocalRewrite, GlobalRewrite {
    String name();

    Phase phase();

    /** Tags besides the name and the phase tag, e.g. "stability", "merge", "constant_folding". */
    Set<String> tags();

    /**
     * Off-by-default rewrites (those that are not exact for every input, such as x/x -> 1) run only when named in
     * {@code including}, by their name or one of their own tags (a phase tag does not turn them on).
     */
    boolean onByDefault();

    /** True when {@code tag} names this rewrite: its name, one of its tags, or its phase's tag. */
    default boolean hasTag(String tag) { return name().equals(tag) || tags().contains(tag) || phase().tag().equals(tag); }
}
