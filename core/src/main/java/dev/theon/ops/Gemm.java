package dev.theon.ops;

import dev.theon.TheonException;
import dev.theon.graph.Apply;
import dev.theon.graph.Op;
import dev.theon.graph.TensorType;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import dev.theon.tensor.Shapes;

import java.util.List;

/**
 * BLAS's gemm and gemv in one op: {@code beta * C + alpha * dot(A, B)} for a matrix A and a matrix or vector B, with
 * inputs {@code (C, alpha, A, B, beta)} as in Theano. C broadcasts to the product's shape (a bias vector added to every
 * row is a C of rank 1); alpha and beta are scalars. Every operand has the same float dtype. The specialize phase
 * makes it out of {@code dot(A, B) + C}, {@code C - lr * dot(A, B)} and the like, so a backend computes the sum in the
 * same pass as the product; a function may compute it into C's storage when C is an intermediate nobody else reads.
 */
public record Gemm() implements Op {

    @Override public String name() { return "gemm"; }

    @Override public String pp(List<String> args) {
        return "gemm(" + String.join(", ", args) + ")";
    }

    @Override public List<TensorType> outputTypes(List<Variable> in) {
        if (in.size() != 5) throw typeError(in, "expects 5 operands (C, alpha, A, B, beta), got " + in.size());
        TensorType c = in.get(0).type(), alpha = in.get(1).type(), a = in.get(2).type(), b = in.get(3).type(), beta = in.get(4).type();
        DType dt = c.dtype();
        if (!dt.isFloat()) throw typeError(in, "expects float operands, got C of dtype " + dt);
        for (Variable v : in) if (v.dtype() != dt) throw typeError(in, "expects every operand to have C's dtype " + dt + ", got " + v.dtype());
        if (!alpha.isScalar() || !beta.isScalar()) throw typeError(in, "alpha and beta must be scalars");
        if (a.ndim() != 2) throw typeError(in, "A must be a matrix, got rank " + a.ndim());
        if (b.ndim() != 1 && b.ndim() != 2) throw typeError(in, "B must be a matrix or a vector, got rank " + b.ndim());
        if (a.dim(1) >= 0 && b.dim(0) >= 0 && a.dim(1) != b.dim(0))
            throw typeError(in, Dot.misaligned(a.shape(), b.shape(), 1, 0) + "; expected A's columns to match B's rows");
        long[] prod = b.ndim() == 2 ? new long[]{a.dim(0), b.dim(1)} : new long[]{a.dim(0)};
        if (c.ndim() > prod.length) throw typeError(in, "C of rank " + c.ndim() + " does not broadcast to the product of rank " + prod.length);
        long[] shape = Elemwise.staticBroadcast(prod, c.shape());
        if (shape == null) throw typeError(in, "C of shape " + Shapes.str(c.shape()) + " does not broadcast to the product's shape " + Shapes.str(prod));
        return List.of(TensorType.of(dt, shape));
    }

    @Override public void perform(Apply node, NDArray[] in, NDArray[] outs) {
        NDArray c = in[0], a = in[2], b = in[3];
        double alpha = in[1].toDouble(), beta = in[4].toDouble();
        long m = a.shape(0), k = a.shape(1);
        if (b.shape(0) != k) throw new TheonException.ShapeError(name() + ": " + Dot.misaligned(a.shape(), b.shape(), 1, 0));
        boolean vector = b.ndim() == 1;
        long n = vector ? 1 : b.shape(1);
        long[] shape = vector ? new long[]{m} : new long[]{m, n};
        long[] cs = c.shape(), declared = node.input(0).type().shape();
        for (int d = 0; d < cs.length; d++) {
            long want = shape[shape.length - cs.length + d];
            if (cs[d] != want && !(cs[d] == 1 && declared[d] == 1))
                throw new TheonException.ShapeError(name() + ": C of shape " + Shapes.str(cs) + " does not broadcast to the product's shape "
                        + Shapes.str(shape) + (cs[d] == 1 ? " (its type " + node.input(0).type() + " does not declare axis " + d + " broadcastable)" : ""));
        }
        NDArray out = Op.reuse(outs, 0, c.dtype(), shape);
        // read C through a broadcast view; when out is C itself (computed in place) each element is read before it is written
        NDArray cv = c.broadcastTo(shape);
        int ni = Math.toIntExact(n), ki = Math.toIntExact(k);
        double[] bm = new double[Math.multiplyExact(ki, ni)];
        long[] bst = b.strides();
        for (int p = 0; p < ki; p++)
            for (int j = 0; j < ni; j++) bm[p * ni + j] = b.readDouble(b.offset() + p * bst[0] + (vector ? 0 : j * bst[1]));
        long[] ast = a.strides(), cst = cv.strides(), ost = out.strides();
        double[] acc = new double[ni];
        for (long i = 0; i < m; i++) {
            java.util.Arrays.fill(acc, 0);
            for (int p = 0; p < ki; p++) {
                double av = a.readDouble(a.offset() + i * ast[0] + p * ast[1]);
                if (av == 0) continue;
                int base = p * ni;
                for (int j = 0; j < ni; j++) acc[j] += av * bm[base + j];
            }
            for (int j = 0; j < ni; j++) {
                long ci = cv.offset() + i * cst[0] + (vector ? 0 : j * cst[1]);
                long oi = out.offset() + i * ost[0] + (vector ? 0 : j * ost[1]);
                out.writeDouble(oi, beta * cv.readDouble(ci) + alpha * acc[j]);
            }
        }
    }

    @Override public String toString() { return name(); }
}
