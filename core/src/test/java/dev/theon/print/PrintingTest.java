package dev.theon.print;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** pp (Theano's infix printing), debugprint (the tree with ids and types) and Graphviz DOT. */
class PrintingTest {

    @Test void ppParenthesisesLikeTheano() {
        Variable x = T.dscalar("x"), y = T.dscalar("y"), z = T.dscalar("z");
        assertEquals("((x ** 2) + y)", Theon.pp(T.add(T.pow(x, 2), y)));
        assertEquals("(x + (y * z))", Theon.pp(T.add(x, T.mul(y, z))));
        assertEquals("((x + y) * z)", Theon.pp(T.mul(T.add(x, y), z)));
        assertEquals("((x - y) - z)", Theon.pp(x.sub(y).sub(z)));
        assertEquals("(x - (y - z))", Theon.pp(x.sub(y.sub(z))));
        assertEquals("exp((x * y))", Theon.pp(T.exp(T.mul(x, y))));
        assertEquals("maximum(x, (y / z))", Theon.pp(T.maximum(x, T.div(y, z))));
        assertEquals("(1 / (1 + exp((-x))))", Theon.pp(T.div(1.0, T.add(1.0, T.exp(T.neg(x))))));
    }

    @Test void ppConstantsAndUnaryMinus() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        assertEquals("(-x)", Theon.pp(T.neg(x)));
        assertEquals("((-x) + y)", Theon.pp(T.add(T.neg(x), y)));
        assertEquals("(-(x + y))", Theon.pp(T.neg(T.add(x, y))));
        assertEquals("(x * 0.5)", Theon.pp(T.mul(x, 0.5)));
        assertEquals("(x + -3)", Theon.pp(T.add(x, -3)));
        assertEquals("(x * 2)", Theon.pp(T.mul(x, 2.0)));
        assertEquals("(x > 1e-08)", Theon.pp(T.gt(x, 1e-8)));
        assertEquals("(x * 0.1)", Theon.pp(T.mul(T.fscalar("x"), 0.1)), "a float32 constant prints its float32 digits");
        Variable v = T.dvector("v");
        assertEquals("(v + [1. 2.])", Theon.pp(T.add(v, NDArray.of(1.0, 2.0))));
        assertEquals("(v + True)", Theon.pp(T.add(v, true)));
        assertEquals("cast(v, float32)", Theon.pp(T.cast(v, DType.FLOAT32)));
    }

    @Test void ppUsesNamesOfIntermediatesAndSharedVariables() {
        Variable x = T.dscalar("x"), y = T.dscalar("y");
        Variable s = T.add(x, y).named("s");
        assertEquals("(s * 2)", Theon.pp(T.mul(s, 2.0)));
        assertEquals("(x + y)", Theon.pp(s), "the named variable itself prints its expression");
        SharedVariable w = Theon.shared(1.0, "w");
        assertEquals("(w * x)", Theon.pp(T.mul(w, x)));
        assertTrue(Theon.pp(T.mul(T.dscalar(null), 2.0)).startsWith("(<float64 scalar"));
        assertEquals("(x + y)", T.add(x, y).toString(), "a variable prints as its expression");
        assertEquals("x", x.toString());
    }

    @Test void debugprintShowsIdsTypesAndSharedSubexpressionsOnce() {
        Variable x = T.dvector("x"), y = T.dvector("y");
        Variable prod = T.mul(x, y);
        Variable z = T.add(prod, T.exp(prod)).named("z");
        String d = Theon.debugprint(z);
        List<String> lines = d.lines().toList();
        assertEquals("add [id A] 'z' float64 vector (?,)", lines.get(0));
        assertEquals(" |mul [id B] float64 vector (?,)", lines.get(1));
        assertEquals(" | |x [id C] float64 vector (?,)", lines.get(2));
        assertEquals(" | |y [id D] float64 vector (?,)", lines.get(3));
        assertEquals(" |exp [id E] float64 vector (?,)", lines.get(4));
        assertEquals(" | |mul [id B] float64 vector (?,)", lines.get(5), "the repeated subexpression is shown by id only");
        assertEquals(6, lines.size(), d);
        // constants and shared variables
        SharedVariable w = Theon.shared(new double[]{1, 2}, "w");
        String d2 = Theon.debugprint(T.mul(w, 3.0));
        assertTrue(d2.contains("Shared w [id B] float64 vector (?,)"), d2);
        assertTrue(d2.contains("Constant{3} [id C] float64 scalar ()"), d2);
        // several outputs share ids
        String d3 = Theon.debugprint(prod, T.exp(prod));
        assertEquals(2, d3.lines().filter(l -> l.contains("mul [id A]")).count(), d3);
        // a compiled function prints its own graph, with floatX bound
        Variable m = T.matrix("m");
        Function f = Theon.function(List.of(m), T.sum(T.mul(m, 2.0)), Theon.options().floatX(DType.FLOAT32));
        String df = Theon.debugprint(f);
        assertTrue(df.startsWith("sum{all} [id A] float32 scalar ()"), df);
        assertTrue(df.contains("m [id C] float32 matrix (?, ?)"), df);
    }

    @Test void dotOfAVariableIsValid() {
        Variable x = T.dvector("x"), y = T.dvector("y \"quoted\"");
        Variable prod = T.mul(x, y);
        Variable z = T.add(T.add(prod, T.exp(prod)), T.constant(NDArray.of(1.0, 2.0)));
        String dot = Theon.toDot(z);
        assertValidDot(dot);
        assertTrue(dot.contains("label=\"exp\""), dot);
        assertTrue(dot.contains("y \\\"quoted\\\""), "quotes in labels are escaped:\n" + dot);
        assertEquals(1, count(dot, "label=\"mul\""), "a shared subexpression is one node");
        assertValidDot(Theon.toDot(x));
    }

    @Test void dotOfACompiledFunctionIsValid() {
        Variable x = T.dmatrix("x"), s = T.dscalar("s");
        SharedVariable w = Theon.shared(new double[][]{{1}}, "w");
        Function f = Theon.function(List.of(x, s), List.of(T.add(T.mul(x, w), s), x), Theon.options().updates(Map.of(w, T.mul(w, 2.0))));
        String dot = Theon.toDot(f);
        assertValidDot(dot);
        assertTrue(dot.contains("label=\"w\""), dot);
        assertEquals(3, count(dot, "fillcolor=\"#9fc5f8\""), "two outputs and one update are drawn as outputs:\n" + dot);
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    /** Balanced braces and quotes, one digraph, and every edge between declared nodes. */
    static void assertValidDot(String dot) {
        assertTrue(dot.startsWith("digraph "), dot);
        assertTrue(dot.strip().endsWith("}"), dot);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < dot.length(); i++) {
            char c = dot.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}') { depth--; assertTrue(depth >= 0, "unbalanced braces:\n" + dot); }
        }
        assertFalse(inString, "unterminated string:\n" + dot);
        assertEquals(0, depth, "unbalanced braces:\n" + dot);
        Set<String> declared = new HashSet<>();
        Matcher m = Pattern.compile("^\\s*(\\w+) \\[", Pattern.MULTILINE).matcher(dot);
        while (m.find()) if (!m.group(1).equals("node") && !m.group(1).equals("edge")) declared.add(m.group(1));
        Matcher e = Pattern.compile("^\\s*(\\w+) -> (\\w+)", Pattern.MULTILINE).matcher(dot);
        int edges = 0;
        while (e.find()) {
            edges++;
            assertTrue(declared.contains(e.group(1)), "edge from undeclared " + e.group(1) + ":\n" + dot);
            assertTrue(declared.contains(e.group(2)), "edge to undeclared " + e.group(2) + ":\n" + dot);
        }
        assertTrue(edges > 0 || declared.size() == 1, dot);
    }
}
