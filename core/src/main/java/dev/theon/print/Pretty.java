package dev.theon.print;

import dev.theon.graph.Apply;
import dev.theon.graph.Constant;
import dev.theon.graph.Op;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Theano's {@code pp}: an expression as infix text, {@code ((x ** 2) + y)}. Every infix operation is parenthesised,
 * so the text reads unambiguously whatever the precedences; named intermediates print by name.
 */
public final class Pretty {
    private Pretty() {}

    public static String pp(Variable v) { return pp(v, new IdentityHashMap<>(), true); }

    private static String pp(Variable v, Map<Variable, String> memo, boolean top) {
        String done = memo.get(v);
        if (done != null) return done;
        String s;
        if (v instanceof Constant c) s = constant(c.value());
        else if (v.isRoot()) s = v.name() != null ? v.name() : (v instanceof SharedVariable ? "<shared " : "<") + v.type() + ">";
        else if (v.name() != null && !top) s = v.name();
        else {
            Apply a = v.owner();
            List<String> args = new ArrayList<>();
            for (Variable in : a.inputs()) args.add(pp(in, memo, false));
            Op op = a.op();
            s = op.pp(args);
            if (op.precedence() < Op.Precedence.ATOM) s = "(" + s + ")";
            if (a.outputs().size() > 1) s = s + "[" + v.index() + "]";
        }
        memo.put(v, s);
        return s;
    }

    /** A constant as text: the number for one element, else the array. */
    public static String constant(NDArray a) {
        if (a.size() == 1) {
            if (a.dtype().isFloat()) {
                double d = a.flatDouble(0);
                // integral values print as integers, as Theano's pp does ((x ** 2)); others as NumPy prints the scalar (1e-08)
                return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : NDArray.scalar(a.dtype(), d).toString();
            }
            if (a.dtype().isBool()) return a.flatLong(0) != 0 ? "True" : "False";
            return Long.toString(a.flatLong(0));
        }
        if (a.size() <= 8) return a.toString().replace('\n', ' ');
        return "<constant " + a.dtype() + " " + dev.theon.tensor.Shapes.str(a.shape()) + ">";
    }
}
