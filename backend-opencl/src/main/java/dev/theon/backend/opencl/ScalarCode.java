package dev.theon.backend.opencl;

import dev.theon.ops.ScalarOp;

/**
 * OpenCL C for each entry of the {@link ScalarOp} table, in one of three computation types: {@code long} (the exact
 * integer path, used where the reference folds in int64), {@code float} or {@code double}. The arguments are
 * expressions already converted to that type (except a switch's condition, tested for nonzero in its own type);
 * the result is an expression of that type.
 */
final class ScalarCode {
    private ScalarCode() {}

    static String expr(ScalarOp op, String ct, String a, String b, String c) {
        return ct.equals("long") ? integral(op, a, b, c) : floating(op, ct, a, b, c);
    }

    /** Whether {@code op} has an exact integer form here (the table's {@code longFn}). */
    static boolean hasIntegral(ScalarOp op) { return op.longFn() != null; }

    private static String integral(ScalarOp op, String a, String b, String c) {
        return switch (op) {
            case ADD -> "(" + a + " + " + b + ")";
            case SUB -> "(" + a + " - " + b + ")";
            case MUL -> "(" + a + " * " + b + ")";
            case INT_DIV -> "th_floordiv_l(" + a + ", " + b + ")";
            case MOD -> "th_floormod_l(" + a + ", " + b + ")";
            case POW -> "th_ipow_l(" + a + ", " + b + ")";
            case MAXIMUM -> "max(" + a + ", " + b + ")";
            case MINIMUM -> "min(" + a + ", " + b + ")";
            case NEG -> "(-" + a + ")";
            case ABS -> "(" + a + " < 0 ? -" + a + " : " + a + ")";
            case SGN -> "((long) (" + a + " > 0) - (long) (" + a + " < 0))";
            case SQR -> "(" + a + " * " + a + ")";
            case LT -> "((long) (" + a + " < " + b + "))";
            case GT -> "((long) (" + a + " > " + b + "))";
            case LE -> "((long) (" + a + " <= " + b + "))";
            case GE -> "((long) (" + a + " >= " + b + "))";
            case EQ -> "((long) (" + a + " == " + b + "))";
            case NEQ -> "((long) (" + a + " != " + b + "))";
            case AND -> "((long) (" + a + " != 0 && " + b + " != 0))";
            case OR -> "((long) (" + a + " != 0 || " + b + " != 0))";
            case XOR -> "((long) ((" + a + " != 0) != (" + b + " != 0)))";
            case NOT -> "((long) (" + a + " == 0))";
            case ISNAN, ISINF -> "((long) 0)";
            case SWITCH -> "(" + a + " ? " + b + " : " + c + ")";
            case CLIP -> "min(max(" + a + ", " + b + "), " + c + ")";
            case IDENTITY -> a;
            case SECOND -> b;
            default -> throw new IllegalArgumentException(op + " has no integer form");
        };
    }

    private static String floating(ScalarOp op, String ct, String a, String b, String c) {
        String s = ct.equals("float") ? "_f" : "_d";
        String one = ct.equals("float") ? "1.0f" : "1.0";
        return switch (op) {
            case ADD -> "(" + a + " + " + b + ")";
            case SUB -> "(" + a + " - " + b + ")";
            case MUL -> "(" + a + " * " + b + ")";
            case TRUE_DIV -> "(" + a + " / " + b + ")";
            case INT_DIV -> "th_floordiv" + s + "(" + a + ", " + b + ")";
            case MOD -> "th_floormod" + s + "(" + a + ", " + b + ")";
            case POW -> "th_pow" + s + "(" + a + ", " + b + ")";
            case MAXIMUM -> "th_max" + s + "(" + a + ", " + b + ")";
            case MINIMUM -> "th_min" + s + "(" + a + ", " + b + ")";
            case NEG -> "(-" + a + ")";
            case ABS -> "fabs(" + a + ")";
            case SGN -> "th_sgn" + s + "(" + a + ")";
            case INV -> "(" + one + " / " + a + ")";
            case SQR -> "(" + a + " * " + a + ")";
            case SQRT -> "sqrt(" + a + ")";
            case EXP -> "exp(" + a + ")";
            case EXPM1 -> "expm1(" + a + ")";
            case LOG -> "log(" + a + ")";
            case LOG1P -> "log1p(" + a + ")";
            case LOG2 -> "log2(" + a + ")";
            case LOG10 -> "log10(" + a + ")";
            case SIN -> "sin(" + a + ")";
            case COS -> "cos(" + a + ")";
            case TAN -> "tan(" + a + ")";
            case ARCSIN -> "asin(" + a + ")";
            case ARCCOS -> "acos(" + a + ")";
            case ARCTAN -> "atan(" + a + ")";
            case SINH -> "sinh(" + a + ")";
            case COSH -> "cosh(" + a + ")";
            case TANH -> "tanh(" + a + ")";
            case SIGMOID -> "th_sigmoid" + s + "(" + a + ")";
            case SOFTPLUS -> "th_softplus" + s + "(" + a + ")";
            case ERF -> "erf(" + a + ")";
            case ERFC -> "erfc(" + a + ")";
            case FLOOR -> "floor(" + a + ")";
            case CEIL -> "ceil(" + a + ")";
            case ROUND -> "rint(" + a + ")";
            case LT -> "((" + ct + ") (" + a + " < " + b + "))";
            case GT -> "((" + ct + ") (" + a + " > " + b + "))";
            case LE -> "((" + ct + ") (" + a + " <= " + b + "))";
            case GE -> "((" + ct + ") (" + a + " >= " + b + "))";
            case EQ -> "((" + ct + ") (" + a + " == " + b + "))";
            case NEQ -> "((" + ct + ") (" + a + " != " + b + "))";
            case AND -> "((" + ct + ") (" + a + " != 0 && " + b + " != 0))";
            case OR -> "((" + ct + ") (" + a + " != 0 || " + b + " != 0))";
            case XOR -> "((" + ct + ") ((" + a + " != 0) != (" + b + " != 0)))";
            case NOT -> "((" + ct + ") (" + a + " == 0))";
            case ISNAN -> "((" + ct + ") (isnan(" + a + ") != 0))";
            case ISINF -> "((" + ct + ") (isinf(" + a + ") != 0))";
            case SWITCH -> "(" + a + " ? " + b + " : " + c + ")";
            case CLIP -> "th_clip" + s + "(" + a + ", " + b + ", " + c + ")";
            case IDENTITY -> a;
            case SECOND -> b;
        };
    }
}
