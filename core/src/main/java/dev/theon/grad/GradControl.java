package dev.theon.grad;

import dev.theon.T;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.NDArray;

import java.util.Arrays;
import java.util.List;

/**
 * Ops that are the identity going forward and change only the gradient going back: {@code zeroGrad} (gradient 0),
 * {@code disconnectedGrad} (no gradient at all), {@code gradClip(lo, hi)}, {@code gradScale(k)}, and
 * {@code undefinedGrad} (asking for a gradient through it is an error).
 */
public record GradControl(Kind kind, double a, double b) implements Op {

    public enum Kind { ZERO_GRAD, DISCONNECTED_GRAD, GRAD_CLIP, GRAD_SCALE, UNDEFINED_GRAD }

    @Override public String name() {
        return switch (kind) {
            case ZERO_GRAD -> "zero_grad";
            case DISCONNECTED_GRAD -> "disconnected_grad";
            case GRAD_CLIP -> "grad_clip{" + a + ", " + b + "}";
            case GRAD_SCALE -> "grad_scale{" + a + "}";
            case UNDEFINED_GRAD -> "undefined_grad";
        };
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 1) throw typeError(in, "expects 1 operand");
        if (kind == Kind.GRAD_CLIP && !(a <= b)) throw typeError(in, "grad_clip needs lower bound <= upper bound, got " + a + " > " + b);
        return List.of(in.get(0).type());
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] out) { out[0] = in[0]; }

    @Override public List<Variable> grad(List<Variable> inputs, List<Variable> outputs, List<Variable> gz) {
        Variable x = inputs.get(0), g = gz.get(0);
        return switch (kind) {
            case ZERO_GRAD -> List.of(Grad.zerosLike(x));
            case DISCONNECTED_GRAD -> Arrays.asList((Variable) null);
            case GRAD_CLIP -> List.of(T.clip(g, a, b));
            case GRAD_SCALE -> List.of(T.mul(g, a));
            case UNDEFINED_GRAD -> List.of(Grad.undefined("the gradient through undefined_grad(" + x.describe() + ") is undefined by request"));
        };
    }
}
