package dev.theon;

import dev.theon.compile.Compiler;
import dev.theon.compile.Function;
import dev.theon.compile.In;
import dev.theon.compile.Options;
import dev.theon.config.Config;
import dev.theon.graph.SharedVariable;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.print.DebugPrint;
import dev.theon.print.Dot;
import dev.theon.print.Pretty;
import dev.theon.tensor.NDArray;

import java.util.List;

/** Functions, shared variables, printing and configuration, like the top level of {@code theano}. */
public final class Theon {
    private Theon() {}

    // ==== section: functions ====

    /** Compiles a function of one output. Inputs are Variables or {@link #in(Variable, Object)}. */
    public static Function function(List<?> inputs, Variable output) { return function(inputs, output, options()); }

    public static Function function(List<?> inputs, Variable output, Options options) {
        return Compiler.compile(inputs, List.of(output), options);
    }

    /** Compiles a function of several outputs (call it with {@code callAll}). */
    public static Function function(List<?> inputs, List<? extends Variable> outputs) { return function(inputs, outputs, options()); }

    public static Function function(List<?> inputs, List<? extends Variable> outputs, Options options) {
        return Compiler.compile(inputs, outputs, options);
    }

    /** A fresh options builder; unset values come from {@link #config()}. */
    public static Options options() { return new Options(); }

    /** An input with a default value used when a call leaves it out. */
    public static In in(Variable v, Object defaultValue) { return new In(v, defaultValue == null ? null : NDArray.fromJava(defaultValue)); }

    // ==== section: shared variables ====

    /** A shared variable holding a copy of {@code value} (an NDArray, Java array or number). */
    public static SharedVariable shared(Object value, String name) { return new SharedVariable(NDArray.fromJava(value), name, false); }

    public static SharedVariable shared(Object value) { return shared(value, null); }

    /** With {@code borrow}, an NDArray is kept as given, not copied (the caller must not modify it afterwards). */
    public static SharedVariable shared(NDArray value, String name, boolean borrow) { return new SharedVariable(value, name, borrow); }

    /** A shared variable with an explicit static shape (-1 = unknown), e.g. to fix sizes or declare broadcastable dims. */
    public static SharedVariable shared(NDArray value, long[] staticShape, String name) {
        return new SharedVariable(TensorType.of(value.dtype(), staticShape), value, name, false);
    }

    // ==== section: printing ====

    /** The expression as infix text: {@code (x ** 2)}. */
    public static String pp(Variable v) { return Pretty.pp(v); }

    /** The graph as an indented tree with types. */
    public static String debugprint(Variable... vs) { return DebugPrint.print(vs); }

    public static String debugprint(Function f) { return DebugPrint.print(f.graph()); }

    /** Graphviz DOT of a variable's graph. */
    public static String toDot(Variable... vs) { return Dot.of(vs); }

    /** Graphviz DOT of a compiled function's graph. */
    public static String toDot(Function f) { return Dot.of(f.graph()); }

    // ==== section: config ====

    /** The effective configuration; {@code toString()} lists every value and where it came from. */
    public static Config config() { return Config.get(); }

    // ==== section: gradients ====

    /** The symbolic gradient of a scalar cost (same as {@link T#grad}). */
    public static Variable grad(Variable cost, Variable wrt) { return dev.theon.grad.Grad.grad(cost, wrt); }
    public static List<Variable> grad(Variable cost, List<Variable> wrt) { return dev.theon.grad.Grad.grad(cost, wrt); }
    /** Options for {@link T#grad(Variable, List, dev.theon.grad.Grad.Options)}. */
    public static dev.theon.grad.Grad.Options gradOptions() { return dev.theon.grad.Grad.options(); }

    /** The Jacobian of y with respect to x: shape y.shape + x.shape; one compact node whatever y's size. */
    public static Variable jacobian(Variable y, Variable x) { return dev.theon.grad.Jacobian.jacobian(y, x); }
    /** The Hessian of a scalar cost with respect to x. */
    public static Variable hessian(Variable cost, Variable x) { return dev.theon.grad.Jacobian.hessian(cost, x); }
    /** The L-operator: {@code v^T (df/dwrt)}, one result per wrt. */
    public static List<Variable> Lop(Variable f, List<Variable> wrt, Variable v) { return dev.theon.grad.Jacobian.lop(f, wrt, v); }
    public static Variable Lop(Variable f, Variable wrt, Variable v) { return dev.theon.grad.Jacobian.lop(f, List.of(wrt), v).get(0); }
    /** The R-operator: {@code (df/dwrt) v}, shaped like f. */
    public static Variable Rop(Variable f, List<Variable> wrt, List<Variable> v) { return dev.theon.grad.Jacobian.rop(f, wrt, v); }
    public static Variable Rop(Variable f, Variable wrt, Variable v) { return dev.theon.grad.Jacobian.rop(f, List.of(wrt), List.of(v)); }
    /** {@code H v} for the Hessian H of a scalar cost, without forming H. */
    public static Variable hessianVectorProduct(Variable cost, Variable x, Variable v) { return dev.theon.grad.Jacobian.hessianVectorProduct(cost, x, v); }

    /** Checks the symbolic gradient of {@code fn} at {@code points} against finite differences; throws if they differ. */
    public static void verifyGrad(java.util.function.Function<List<Variable>, Variable> fn, List<?> points) { dev.theon.grad.VerifyGrad.verify(fn, points); }
    public static void verifyGrad(java.util.function.Function<List<Variable>, Variable> fn, List<?> points, dev.theon.grad.VerifyGrad.Options o) {
        dev.theon.grad.VerifyGrad.verify(fn, points, o);
    }
    public static void verifyGrad(dev.theon.graph.Op op, List<?> points) { dev.theon.grad.VerifyGrad.verify(op, points); }

    // ==== section: devices ====

    /** The devices each backend on the class path can run on, by backend name: {@code {reference=[cpu], opencl=[...]}}. */
    public static java.util.Map<String, List<String>> devices() {
        java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        dev.theon.backend.Backends.all().forEach((name, b) -> m.put(name, b.devices()));
        return m;
    }
}
