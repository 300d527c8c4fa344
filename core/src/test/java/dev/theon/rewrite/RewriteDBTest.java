package dev.theon.rewrite;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.TheonException;
import dev.theon.compile.Function;
import dev.theon.compile.Mode;
import dev.theon.config.Config;
import dev.theon.graph.Variable;
import dev.theon.ops.Composite;
import dev.theon.ops.ScalarOp;
import dev.theon.ops.Softmax;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.theon.rewrite.Graphs.*;
import static dev.theon.rewrite.Pattern.any;
import static dev.theon.rewrite.Pattern.constant;
import static dev.theon.rewrite.Pattern.elem;
import static dev.theon.rewrite.Pattern.op;
import static org.junit.jupiter.api.Assertions.*;

/** The machinery: patterns, the database, modes and tags, logging and describe. */
class RewriteDBTest {

    @Test void patternsMatchTreesWithNamedVariables() {
        Variable x = T.dvector("x"), y = T.dvector("y");
        Pattern sub = elem(ScalarOp.SUB, any("a"), any("a"));
        assertNotNull(sub.match(T.sub(x, x)));
        assertNull(sub.match(T.sub(x, y)), "a name bound twice must be the same variable");
        Pattern log1p = elem(ScalarOp.LOG, elem(ScalarOp.ADD, constant(1), any("v")));
        assertSame(x, log1p.match(T.log(T.add(x, 1.0))).get("v"));
        assertSame(x, log1p.match(T.log(T.add(1.0, x))).get("v"), "add matches its operands in either order");
        assertNull(log1p.match(T.log(T.add(x, 2.0))));
        assertNull(elem(ScalarOp.SUB, constant(1), any("v")).match(T.sub(x, 1.0)), "sub is not commutative");
        Match m = elem(ScalarOp.LOG, op(Softmax.class, any("z")).as("sm")).match(T.log(T.softmax(x)));
        assertInstanceOf(Softmax.class, m.node("sm").op());
        assertThrows(IllegalArgumentException.class, () -> m.get("nope"));
    }

    @Test void modesSelectRewritesByTag() {
        RewriteDB db = RewriteDB.get();
        List<String> fastCompile = db.select(Mode.FAST_COMPILE, Set.of(), Set.of()).stream().map(Rewrite::name).toList();
        assertTrue(fastCompile.containsAll(List.of("merge", "constant_folding", "log1p", "log_softmax", "cancel_division")), fastCompile.toString());
        assertFalse(fastCompile.contains("fusion") || fastCompile.contains("gemm") || fastCompile.contains("inplace") || fastCompile.contains("double_neg"), fastCompile.toString());
        for (Rewrite r : db.select(Mode.FAST_COMPILE, Set.of(), Set.of()))
            assertTrue(r.hasTag("merge") || r.hasTag("constant_folding") || r.hasTag("stability"), r.name());
        List<String> fastRun = db.select(Mode.FAST_RUN, Set.of(), Set.of()).stream().map(Rewrite::name).toList();
        assertTrue(fastRun.containsAll(List.of("fusion", "gemm", "inplace", "double_neg", "log1p")), fastRun.toString());
        assertFalse(fastRun.contains("div_self"), "off by default");
        assertTrue(db.select(Mode.FAST_RUN, Set.of("div_self"), Set.of()).stream().anyMatch(r -> r.name().equals("div_self")));
        assertTrue(db.select(Mode.FAST_RUN, Set.of(), Set.of("fusion")).stream().noneMatch(r -> r.phase() == Phase.FUSE));
        assertTrue(db.select(Mode.FAST_COMPILE, Set.of("fusion"), Set.of()).stream().anyMatch(r -> r.name().equals("fusion")));
        assertThrows(IllegalArgumentException.class, () -> db.register(Fusion.REWRITE), "names are unique");
    }

    @Test void includingAndExcludingThroughOptions() {
        Variable x = T.dvector("x");
        Variable out = T.tanh(T.mul(T.exp(x), 2.0));
        assertEquals(1, count(Theon.function(List.of(x), out), Composite.class));
        Function noFusion = Theon.function(List.of(x), out, Theon.options().excluding("fusion"));
        assertEquals(0, count(noFusion, Composite.class), ops(noFusion));
        Function fastCompile = Theon.function(List.of(x), out, Theon.options().mode("FAST_COMPILE"));
        assertEquals(0, count(fastCompile, Composite.class));
        Function fusedAnyway = Theon.function(List.of(x), out, Theon.options().mode("FAST_COMPILE").including("fusion"));
        assertEquals(1, count(fusedAnyway, Composite.class), ops(fusedAnyway));
    }

    @Test void userRewritesRunWithTheBuiltInOnes() {
        RewriteDB db = RewriteDB.get();
        // sinh(x) -> (exp(x) - exp(-x)) / 2, off by default, turned on by its tag
        db.register(PatternRewrite.rule("test_sinh_as_exp", Phase.SPECIALIZE, elem(ScalarOp.SINH, any("x")),
                m -> T.mul(T.sub(T.exp(m.get("x")), T.exp(T.neg(m.get("x")))), 0.5), "test_only").offByDefault());
        try {
            Variable x = T.dvector("x");
            Function off = Theon.function(List.of(x), T.sinh(x));
            assertEquals(1, countScalar(off, ScalarOp.SINH));
            Function on = Theon.function(List.of(x), T.sinh(x), Theon.options().including("test_only"));
            assertEquals(0, countScalar(on, ScalarOp.SINH), ops(on));
            assertEquals(Math.sinh(0.7), on.call(new double[]{0.7}).flatDouble(0), 1e-15);
            assertTrue(on.rewrites().contains("test_sinh_as_exp"), on.rewrites());
        } finally {
            db.remove("test_sinh_as_exp");
        }
    }

    @Test void debugModeCatchesAWrongRewrite() {
        RewriteDB db = RewriteDB.get();
        db.register(PatternRewrite.rule("test_wrong_exp", Phase.SPECIALIZE, elem(ScalarOp.EXP, any("x")),
                m -> T.add(m.get("x"), 1.0), "test_only").offByDefault());
        try {
            Variable x = T.dvector("x");
            assertEquals(1.5, Theon.function(List.of(x), T.exp(x), Theon.options().including("test_wrong_exp")).call(new double[]{0.5}).flatDouble(0));
            Function debug = Theon.function(List.of(x), T.exp(x), Theon.options().including("test_wrong_exp").mode("DEBUG"));
            TheonException e = assertThrows(TheonException.class, () -> debug.call(new double[]{0.5}));
            assertTrue(e.getMessage().contains("test_wrong_exp") && e.getMessage().contains("output 0"), e.getMessage());
        } finally {
            db.remove("test_wrong_exp");
        }
    }

    @Test void describeShowsTheRewrittenGraphAndWhatFired() {
        Variable x = T.dvector("x");
        Function f = Theon.function(List.of(x), T.log(T.add(T.mul(T.exp(x), 2.0), 1.0)), Theon.options().name("soft"));
        String d = f.describe();
        assertTrue(d.contains("rewrites (FAST_RUN): ") && d.contains("log1p x1") && d.contains("fusion x1"), d);
        assertTrue(d.contains("graph after rewriting:") && d.contains("composite{log1p((exp(i0) * i1))}"), d);
        assertEquals("none", Theon.function(List.of(x), x).rewrites());
    }

    @Test void printRewritesLogsEachFiring() {
        Config cfg = Config.get();
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        try {
            cfg.set("print_rewrites", "true");
            System.setErr(new java.io.PrintStream(buf, true));
            Variable x = T.dvector("x");
            Theon.function(List.of(x), T.log(T.add(1.0, x)));
        } finally {
            System.setErr(err);
            cfg.unset("print_rewrites");
        }
        String out = buf.toString();
        assertTrue(out.contains("rewrite log1p") && out.contains("log((1 + x))") && out.contains("log1p(x)"), out);
    }

    @Test void rewritesThatWouldChangeTheTypeDoNotFire() {
        // x * ones(3) for a scalar x: the result is a vector, so it does not become x
        Variable x = T.dscalar("x");
        Variable old = T.mul(x, T.constant(new double[]{1, 1, 1}));
        assertNull(Types.conform(old, x));
        // a broadcastable dim may not become unknown
        Variable row = dev.theon.T.tensor(dev.theon.tensor.DType.FLOAT64, new long[]{1, -1}, "row"), m = T.dmatrix("m");
        assertNull(Types.conform(row, m));
        assertNotNull(Types.conform(m, row.type().ndim() == 2 ? T.dmatrix("n") : null));
        // another dtype gets a cast
        Variable f = T.fvector("f");
        assertEquals(dev.theon.tensor.DType.FLOAT64, Types.conform(T.dvector("d"), f).dtype());
    }
}
