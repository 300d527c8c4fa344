package dev.theon.ops;

import dev.theon.T;
import dev.theon.TheonException;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.Shapes;

/**
 * The cross-entropy losses, built from elementwise ops and reductions except where an op of its own does better
 * ({@link CrossentropyCategorical1Hot} reads one entry per row instead of building a one-hot matrix). Integer or
 * bool targets are cast to the prediction's float dtype first, so float32 predictions give float32 losses.
 */
public final class Crossentropy {
    private Crossentropy() {}

    /**
     * Theano's {@code categorical_crossentropy(coding, target)}: {@code coding} is a float matrix of predicted
     * probabilities; {@code target} is an integer vector of class labels ({@code -log(coding[i, label[i]])}) or a
     * one-hot / probability matrix ({@code -sum(target * log(coding), axis=1)}). One loss per row.
     */
    public static Variable categorical(Variable coding, Variable target) {
        TensorType c = coding.type(), t = target.type();
        String fn = "categorical_crossentropy";
        if (c.ndim() != 2 || !c.dtype().isFloat())
            throw error(fn, "coding must be a float matrix of predicted probabilities (one row per example), got a "
                    + c.dtype() + " " + c.rankName(), coding, target);
        if (t.ndim() == 1) return new CrossentropyCategorical1Hot().apply(coding, target);
        if (t.ndim() != 2)
            throw error(fn, "target must be an integer vector of class labels or a matrix of the coding's shape"
                    + " (one-hot or probabilities), got a " + t.dtype() + " " + t.rankName(), coding, target);
        if (Elemwise.staticBroadcast(c.shape(), t.shape()) == null)
            throw error(fn, "target of shape " + Shapes.str(t.shape()) + " does not match coding of shape " + Shapes.str(c.shape())
                    + "; expected a one-hot or probability matrix of the coding's shape", coding, target);
        Variable tf = asFloatOf(target, coding);
        return T.neg(T.sum(T.mul(tf, T.log(coding)), 1));
    }

    /** Theano's {@code binary_crossentropy}: {@code -(target * log(output) + (1 - target) * log(1 - output))}, elementwise. */
    public static Variable binary(Variable output, Variable target) {
        checkBroadcast("binary_crossentropy", output, target);
        Variable t = asFloatOf(target, output);
        // log1p(-output) rather than log(1 - output): exact for outputs near 0
        return T.neg(T.add(T.mul(t, T.log(output)), T.mul(T.sub(1, t), T.log1p(T.neg(output)))));
    }

    /**
     * Binary cross-entropy of {@code sigmoid(logits)} computed from the logits as {@code softplus(x) - target * x},
     * which stays finite and exact where sigmoid saturates to 0 or 1.
     */
    public static Variable sigmoidBinary(Variable logits, Variable target) {
        checkBroadcast("sigmoid_binary_crossentropy", logits, target);
        Variable t = asFloatOf(target, logits);
        return T.sub(T.softplus(logits), T.mul(t, logits));
    }

    /** {@code target} cast to the float dtype that {@code prediction}'s float ops produce, when the target is bool or integer. */
    private static Variable asFloatOf(Variable target, Variable prediction) {
        DType want = prediction.dtype().toFloat();
        return target.dtype().isDiscrete() ? T.cast(target, want) : target;
    }

    private static void checkBroadcast(String fn, Variable a, Variable b) {
        if (Elemwise.staticBroadcast(a.type().shape(), b.type().shape()) == null)
            throw error(fn, "shapes " + Shapes.str(a.type().shape()) + " and " + Shapes.str(b.type().shape())
                    + " cannot be broadcast together; expected the target to broadcast against the prediction", a, b);
    }

    /** A TypeError in the same form as {@link dev.theon.graph.Op#typeError}: function, what was wrong, operands. */
    static TheonException.TypeError error(String fn, String what, Variable... operands) {
        StringBuilder b = new StringBuilder(fn).append(": ").append(what).append("; operands: ");
        for (int i = 0; i < operands.length; i++) {
            if (i > 0) b.append(", ");
            b.append(operands[i].describe()).append(" : ").append(operands[i].type()).append(operands[i].whereCreated());
        }
        return new TheonException.TypeError(b.toString());
    }
}
