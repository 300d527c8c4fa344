package dev.theon.ops;

import dev.theon.T;
import dev.theon.graph.Variable;

import java.util.Arrays;
import java.util.List;

/**
 * The derivative rules of the {@link ScalarOp} table, written as graph expressions. For a node {@code z = op(a, b, c)}
 * and the gradient {@code gz} of the cost with respect to z, each rule gives the gradient with respect to each input
 * at the output's (broadcast) shape; {@link Elemwise#grad} then sums over broadcast axes.
 * <p>
 * Kept beside the table rather than inside it because the rules are graph expressions built with {@link T}, while the
 * table itself is plain scalar arithmetic that every backend's code generator reads.
 * Entries: a Variable; {@link #ZERO} for "defined and zero" (piecewise-constant ops such as sgn, floor, round);
 * {@code null} for "disconnected" (boolean outputs, conditions).
 */
final class ScalarGrad {
    private ScalarGrad() {}

    /** Marks a gradient that is defined and identically zero. */
    static final Variable ZERO = new Variable(dev.theon.graph.TensorType.of(dev.theon.tensor.DType.FLOAT64), "<zero gradient>");

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;

    /** Zeros shaped like {@code x} (Theano's {@code zeros_like}, as fill so that inf or NaN in x does not leak). */
    static Variable zeros(Variable x) {
        return new Elemwise(ScalarOp.SECOND).apply(x, T.asVariable(0.0, x.dtype().isFloat() ? x : null));
    }

    static List<Variable> rules(ScalarOp op, List<Variable> in, Variable z, Variable gz) {
        Variable a = in.get(0);
        Variable b = in.size() > 1 ? in.get(1) : null;
        Variable c = in.size() > 2 ? in.get(2) : null;
        return switch (op) {
            case ADD -> List.of(gz, gz);
            case SUB -> List.of(gz, T.neg(gz));
            case MUL -> List.of(T.mul(gz, b), T.mul(gz, a));
            case TRUE_DIV -> List.of(T.div(gz, b), T.neg(T.div(T.mul(gz, a), T.mul(b, b))));
            case INT_DIV -> List.of(ZERO, ZERO);
            case MOD -> List.of(gz, T.neg(T.mul(gz, T.floor(T.div(a, b)))));
            case POW -> List.of(T.mul(gz, T.mul(b, T.pow(a, T.sub(b, 1)))), T.mul(gz, T.mul(T.log(a), z)));
            case MAXIMUM, MINIMUM -> List.of(T.mul(gz, T.eq(z, a)), T.mul(gz, T.eq(z, b)));
            case NEG -> List.of(T.neg(gz));
            case ABS -> List.of(T.mul(gz, T.sgn(a)));
            case SGN, FLOOR, CEIL, ROUND -> List.of(ZERO);
            case INV -> List.of(T.neg(T.div(gz, T.mul(a, a))));
            case SQR -> List.of(T.mul(gz, T.mul(a, 2)));
            case SQRT -> List.of(T.div(T.mul(gz, 0.5), z));
            case EXP -> List.of(T.mul(gz, z));
            case EXPM1 -> List.of(T.mul(gz, T.add(z, 1)));
            case LOG -> List.of(T.div(gz, a));
            case LOG1P -> List.of(T.div(gz, T.add(a, 1)));
            case LOG2 -> List.of(T.div(gz, T.mul(a, Math.log(2.0))));
            case LOG10 -> List.of(T.div(gz, T.mul(a, Math.log(10.0))));
            case SIN -> List.of(T.mul(gz, T.cos(a)));
            case COS -> List.of(T.neg(T.mul(gz, T.sin(a))));
            case TAN -> List.of(T.mul(gz, T.add(T.sqr(z), 1)));
            case ARCSIN -> List.of(T.div(gz, T.sqrt(T.sub(1, T.sqr(a)))));
            case ARCCOS -> List.of(T.neg(T.div(gz, T.sqrt(T.sub(1, T.sqr(a))))));
            case ARCTAN -> List.of(T.div(gz, T.add(T.sqr(a), 1)));
            case SINH -> List.of(T.mul(gz, T.cosh(a)));
            case COSH -> List.of(T.mul(gz, T.sinh(a)));
            case TANH -> List.of(T.mul(gz, T.sub(1, T.sqr(z))));
            case SIGMOID -> List.of(T.mul(gz, T.mul(z, T.sub(1, z))));
            case SOFTPLUS -> List.of(T.mul(gz, T.sigmoid(a)));
            case ERF -> List.of(T.mul(gz, T.mul(T.exp(T.neg(T.sqr(a))), TWO_OVER_SQRT_PI)));
            case ERFC -> List.of(T.neg(T.mul(gz, T.mul(T.exp(T.neg(T.sqr(a))), TWO_OVER_SQRT_PI))));
            case LT, GT, LE, GE, EQ, NEQ, AND, OR, XOR -> Arrays.asList(null, null);
            case NOT, ISNAN, ISINF -> Arrays.asList((Variable) null);
            case SWITCH -> Arrays.asList(null, T.switch_(a, gz, zeros(gz)), T.switch_(a, zeros(gz), gz));
            case CLIP -> List.of(T.switch_(T.and(T.ge(a, b), T.le(a, c)), gz, zeros(gz)),
                    T.switch_(T.lt(a, b), gz, zeros(gz)), T.switch_(T.gt(a, c), gz, zeros(gz)));
            case IDENTITY -> List.of(gz);
            case SECOND -> Arrays.asList(null, gz);
        };
    }
}
