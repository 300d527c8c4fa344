package dev.theon.rewrite;

import dev.theon.graph.Constant;
import dev.theon.graph.Op;
import dev.theon.graph.Variable;
import dev.theon.ops.Elemwise;
import dev.theon.ops.ScalarOp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A graph pattern: a tree of ops whose leaves are named pattern variables or constants. {@code log(1 + x)} is
 * {@code elem(LOG, elem(ADD, constant(1), any("x")))}. A name used twice must match the same variable both times
 * ({@code x - x}). Elementwise add, mul, maximum, minimum, eq, neq, and, or and xor match their operands in either
 * order. {@link #as} binds the variable an inner pattern matched, so a rewrite can reuse it.
 */
public abstract sealed class Pattern permits Pattern.Any, Pattern.Const, Pattern.Node {
    private String bind;

    /** Matches any variable; binds it to {@code name} (null: matches anything, binds nothing). */
    public static Pattern any(String name) { return new Any(name); }

    /** Matches a constant all of whose elements equal {@code value} (of any dtype, rank and size at least one). */
    public static Pattern constant(double value) { return new Const(value, null); }

    /** Matches any constant and binds it. */
    public static Pattern constant(String name) { return new Const(Double.NaN, name); }

    /** Matches an elementwise node of {@code op} (any explicit output dtype) with these operands. */
    public static Pattern elem(ScalarOp op, Pattern... args) {
        if (args.length != op.arity()) throw new IllegalArgumentException(op.fname() + " takes " + op.arity() + " operands, pattern gives " + args.length);
        return new Node(op, o -> o instanceof Elemwise e && e.scalar() == op && !e.isCast(), commutative(op), args);
    }

    /** Matches a node whose op is an instance of {@code type}. */
    public static Pattern op(Class<? extends Op> type, Pattern... args) { return new Node(type, type::isInstance, false, args); }

    /** Matches a node whose op passes {@code test}; {@code key} is the op class or scalar op it can be, for indexing. */
    public static Pattern op(Object key, Predicate<Op> test, Pattern... args) { return new Node(key, test, false, args); }

    /** This pattern, also binding the variable it matches to {@code name}. */
    public Pattern as(String name) { this.bind = name; return this; }

    /** The key of the root node (for indexing rewrites by op); null for a leaf. */
    public Object key() { return this instanceof Node n ? n.key : null; }

    /** The bindings when {@code v} matches, else null. */
    public Match match(Variable v) {
        Map<String, Variable> b = new HashMap<>();
        return matches(v, b) ? new Match(b) : null;
    }

    abstract boolean matchesHere(Variable v, Map<String, Variable> b);

    final boolean matches(Variable v, Map<String, Variable> b) {
        if (!matchesHere(v, b)) return false;
        return bind == null || bindTo(bind, v, b);
    }

    static boolean bindTo(String name, Variable v, Map<String, Variable> b) {
        Variable prev = b.putIfAbsent(name, v);
        return prev == null || prev == v;
    }

    private static boolean commutative(ScalarOp op) {
        return switch (op) {
            case ADD, MUL, MAXIMUM, MINIMUM, EQ, NEQ, AND, OR, XOR -> true;
            default -> false;
        };
    }

    static final class Any extends Pattern {
        private final String name;
        Any(String name) { this.name = name; }
        @Override boolean matchesHere(Variable v, Map<String, Variable> b) { return name == null || bindTo(name, v, b); }
    }

    static final class Const extends Pattern {
        private final double value;
        private final String name;
        Const(double value, String name) { this.value = value; this.name = name; }
        @Override boolean matchesHere(Variable v, Map<String, Variable> b) {
            if (!(v instanceof Constant c)) return false;
            if (name != null) return bindTo(name, v, b);
            return Consts.allEqual(c, value);
        }
    }

    static final class Node extends Pattern {
        private final Object key;
        private final Predicate<Op> test;
        private final boolean commutative;
        private final List<Pattern> args;

        Node(Object key, Predicate<Op> test, boolean commutative, Pattern[] args) {
            this.key = key;
            this.test = test;
            this.commutative = commutative;
            this.args = List.of(args);
        }

        @Override boolean matchesHere(Variable v, Map<String, Variable> b) {
            if (v.owner() == null || !test.test(v.owner().op())) return false;
            List<Variable> in = v.owner().inputs();
            if (in.size() != args.size()) return false;
            if (!commutative || in.size() != 2) return all(in, args, b);
            Map<String, Variable> saved = new HashMap<>(b);
            if (all(in, args, b)) return true;
            b.clear();
            b.putAll(saved);
            List<Pattern> swapped = new ArrayList<>(List.of(args.get(1), args.get(0)));
            return all(in, swapped, b);
        }

        private static boolean all(List<Variable> in, List<Pattern> ps, Map<String, Variable> b) {
            for (int i = 0; i < ps.size(); i++) if (!ps.get(i).matches(in.get(i), b)) return false;
            return true;
        }
    }
}
