package dev.theon.rewrite;

import dev.theon.compile.Mode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one database of rewrites. Every rewrite is registered here with its name, tags and phase; a function's mode and
 * its {@code including}/{@code excluding} tags select which run:
 * <ul>
 *   <li>FAST_RUN and DEBUG: every rewrite that is on by default;</li>
 *   <li>FAST_COMPILE: only those tagged "merge", "constant_folding" or "stability";</li>
 *   <li>{@code excluding(tag)} removes the rewrites with that tag (or name, or phase tag) whatever the mode;
 *       {@code including(tag)} adds them, and is the only way to turn on a rewrite that is off by default.</li>
 * </ul>
 * Users may register rewrites of their own ({@link #register}); they run with the built-in ones of their phase.
 */
public final class RewriteDB {
    /** The tags FAST_COMPILE keeps. */
    public static final Set<String> FAST_COMPILE_TAGS = Set.of("merge", "constant_folding", "stability");

    private static final RewriteDB STANDARD = standard();

    private final List<Rewrite> all = new CopyOnWriteArrayList<>();

    /** The database every function is compiled with. */
    public static RewriteDB get() { return STANDARD; }

    private static RewriteDB standard() {
        RewriteDB db = new RewriteDB();
        Canonicalize.register(db);
        ShapeRewrites.register(db);
        Stabilize.register(db);
        OneHotCrossentropy.register(db);
        Specialize.register(db);
        db.register(Fusion.REWRITE);
        db.register(Inplace.REWRITE);
        return db;
    }

    /** Adds a rewrite; its name must be new. */
    public RewriteDB register(Rewrite r) {
        for (Rewrite o : all)
            if (o.name().equals(r.name())) throw new IllegalArgumentException("a rewrite named '" + r.name() + "' is already registered");
        all.add(r);
        return this;
    }

    /** Removes the rewrite named {@code name}; returns whether there was one. */
    public boolean remove(String name) { return all.removeIf(r -> r.name().equals(name)); }

    /** Every registered rewrite, in registration order. */
    public List<Rewrite> all() { return List.copyOf(all); }

    /** The rewrite named {@code name}, or null. */
    public Rewrite find(String name) {
        for (Rewrite r : all) if (r.name().equals(name)) return r;
        return null;
    }

    /** The rewrites that run for this mode and these tags, in registration order. */
    public List<Rewrite> select(Mode mode, Set<String> including, Set<String> excluding) {
        List<Rewrite> r = new ArrayList<>();
        for (Rewrite rw : all) if (enabled(rw, mode, including, excluding)) r.add(rw);
        return r;
    }

    static boolean enabled(Rewrite r, Mode mode, Set<String> including, Set<String> excluding) {
        for (String t : excluding) if (r.hasTag(t)) return false;
        for (String t : including) {
            if (r.onByDefault() ? r.hasTag(t) : r.name().equals(t) || r.tags().contains(t)) return true;
        }
        if (!r.onByDefault()) return false;
        if (mode == Mode.FAST_COMPILE) {
            for (String t : FAST_COMPILE_TAGS) if (r.tags().contains(t) || r.name().equals(t)) return true;
            return false;
        }
        return true;
    }
}
