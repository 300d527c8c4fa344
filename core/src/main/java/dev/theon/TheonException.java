package dev.theon;

/**
 * The root of every error Theon raises. Each message says what was wrong, where (the input by name and position,
 * or the node and its op), and what was expected. Subclasses tell the phase: graph construction, compilation, call.
 */
public class TheonException extends RuntimeException {
    public TheonException(String message) { super(message); }
    public TheonException(String message, Throwable cause) { super(message, cause); }

    /** A graph could not be built: an op was given operands of the wrong dtype, rank or static shape. */
    public static class TypeError extends TheonException {
        public TypeError(String message) { super(message); }
    }

    /** A function call was given the wrong number, dtype, rank or shape of arguments. Nothing was computed or updated. */
    public static class InputError extends TheonException {
        public InputError(String message) { super(message); }
        public InputError(String message, Throwable cause) { super(message, cause); }
    }

    /** Shapes did not agree at run time (e.g. an unknown dim turned out to be 1 against a larger one). */
    public static class ShapeError extends TheonException {
        public ShapeError(String message) { super(message); }
    }

    /** A node produced NaN or Inf while NaN guarding (DEBUG mode or nan_guard) was on. */
    public static class NanError extends TheonException {
        public NanError(String message) { super(message); }
    }

    /** A gradient was requested where none is defined, or the cost/wrt arguments are unsuitable. */
    public static class GradientError extends TheonException {
        public GradientError(String message) { super(message); }
    }

    /** A function could not be compiled: bad inputs/outputs/givens/updates, an unused input, an unknown backend. */
    public static class CompileError extends TheonException {
        public CompileError(String message) { super(message); }
    }

    /** An op failed while running; the message names the node. */
    public static class RuntimeError extends TheonException {
        public RuntimeError(String message, Throwable cause) { super(message, cause); }
    }
}
