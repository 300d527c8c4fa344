package dev.theon.grad;

import dev.theon.T;
import dev.theon.Theon;
import dev.theon.compile.Function;
import dev.theon.graph.Variable;
import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tutorial's Jacobian, Hessian, Rop and Lop, through the BLAS gradients, against values worked out by hand and
 * Theano's documented examples; and the Jacobian's graph not growing with the size of y.
 */
class JacobianTest {

    /** Compile options for products linear in W, whose Lops do not read W: W is then an unused input. */
    static dev.theon.compile.Options linear() { return Theon.options().onUnusedInput("ignore"); }

    static void assertMatrix(double[][] expected, NDArray actual, double tol) {
        double[][] a = actual.toDoubleMatrix();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], a[i], tol, "row " + i);
    }

    @Test void jacobianOfAnAffineMapIsItsMatrix() {
        Variable A = T.dmatrix("A"), x = T.dvector("x"), b = T.dvector("b");
        Variable J = Theon.jacobian(T.add(T.dot(A, x), b), x);
        double[][] a = {{9, 8, 7}, {4, 5, 6}};
        NDArray r = Theon.function(List.of(A, x, b), J).call(a, new double[]{0.5, -2, 3}, new double[]{1, 1});
        assertArrayEquals(new long[]{2, 3}, r.shape());
        assertMatrix(a, r, 1e-12);
    }

    @Test void tutorialJacobianOfSquares() {
        Variable x = T.dvector("x");
        NDArray r = Theon.function(List.of(x), Theon.jacobian(T.pow(x, 2), x)).call(new double[]{4, 4});
        assertMatrix(new double[][]{{8, 0}, {0, 8}}, r, 1e-12);
    }

    @Test void jacobianThroughMatmulInFloat32() {
        // floatX inputs compiled at float32: y = W @ x, so J = W
        Variable W = T.matrix("W"), x = T.vector("x");
        Function f = Theon.function(List.of(W, x), Theon.jacobian(T.matmul(W, x), x), Theon.options().floatX(DType.FLOAT32));
        NDArray r = f.call(new float[][]{{1, 2}, {3, 4}, {5, 6}}, new float[]{0.5f, -1});
        assertEquals(DType.FLOAT32, r.dtype());
        assertMatrix(new double[][]{{1, 2}, {3, 4}, {5, 6}}, r, 0);
    }

    @Test void hessianOfSumOfCubesIsDiagonal() {
        Variable x = T.dvector("x");
        Variable H = Theon.hessian(T.sum(T.pow(x, 3)), x);
        double[] xv = {1.5, -2, 0.25};
        NDArray r = Theon.function(List.of(x), H).call(xv);
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) expected[i][i] = 6 * xv[i];
        assertMatrix(expected, r, 1e-12);
        // the tutorial's: the hessian of sum(x ** 2) is 2 I
        assertMatrix(new double[][]{{2, 0}, {0, 2}}, Theon.function(List.of(x), Theon.hessian(T.sum(T.pow(x, 2)), x)).call(new double[]{4, 4}), 1e-12);
    }

    @Test void ropOfMatrixVectorProduct() {
        // d/dt dot(W + t V, v) = dot(V, v)
        Variable W = T.dmatrix("W"), V = T.dmatrix("V"), v = T.dvector("v");
        Variable jv = Theon.Rop(T.dot(W, v), W, V);
        double[][] w = {{1, 2, 3}, {4, 5, 6}}, vv = {{0.5, -1, 2}, {3, 0, -2}};
        double[] vec = {2, 1, -1};
        NDArray r = Theon.function(List.of(W, V, v), jv).call(w, vv, vec);
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) expected[i] += vv[i][j] * vec[j];
        assertArrayEquals(expected, r.toDoubleArray(), 1e-12);
    }

    @Test void theanoDocumentedRopAndLop() {
        // theano.tensor.Rop(dot(x, W), W, V) at W = ones, V = 2 ones, x = [0, 1] is [2, 2]
        Variable W = T.dmatrix("W"), V = T.dmatrix("V"), x = T.dvector("x"), v = T.dvector("v");
        Variable y = T.dot(x, W);
        NDArray jv = Theon.function(List.of(W, V, x), Theon.Rop(y, W, V)).call(new double[][]{{1, 1}, {1, 1}}, new double[][]{{2, 2}, {2, 2}}, new double[]{0, 1});
        assertArrayEquals(new double[]{2, 2}, jv.toDoubleArray(), 1e-12);
        // theano.tensor.Lop(dot(x, W), W, v) at W = ones, v = [2, 2], x = [0, 1] is [[0, 0], [2, 2]]
        // (the result does not read W: a Lop of a product that is linear in W)
        NDArray vj = Theon.function(List.of(W, v, x), Theon.Lop(y, W, v), linear()).call(new double[][]{{1, 1}, {1, 1}}, new double[]{2, 2}, new double[]{0, 1});
        assertMatrix(new double[][]{{0, 0}, {2, 2}}, vj, 1e-12);
    }

    @Test void lopOfVectorMatrixProductIsAnOuterProduct() {
        Variable W = T.dmatrix("W"), v = T.dvector("v"), u = T.dvector("u");
        Variable vj = Theon.Lop(T.dot(v, W), W, u);
        double[] vv = {1, -2, 0.5}, uu = {3, 4};
        NDArray r = Theon.function(List.of(W, v, u), vj, linear()).call(new double[][]{{1, 2}, {3, 4}, {5, 6}}, vv, uu);
        double[][] expected = new double[3][2];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) expected[i][j] = vv[i] * uu[j];
        assertMatrix(expected, r, 1e-12);
    }

    @Test void hessianVectorProductEqualsHessianTimesVector() {
        Variable x = T.dvector("x"), p = T.dvector("p");
        // cost = sum(x^3) + (sum x)^2 + x0 x1: H = diag(6x) + 2 (all ones) + the x0 x1 cross terms
        Variable cost = T.add(T.add(T.sum(T.pow(x, 3)), T.sqr(T.sum(x))), T.mul(T.sum(T.mul(x, T.constant(new double[]{1, 0, 0}))),
                T.sum(T.mul(x, T.constant(new double[]{0, 1, 0})))));
        double[] xv = {0.5, -1, 2}, pv = {1, 2, -3};
        List<NDArray> r = Theon.function(List.of(x, p), List.of(Theon.hessianVectorProduct(cost, x, p), Theon.hessian(cost, x))).callAll(xv, pv);
        double[][] h = r.get(1).toDoubleMatrix();
        double[][] expected = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) expected[i][j] = (i == j ? 6 * xv[i] : 0) + 2 + ((i == 0 && j == 1) || (i == 1 && j == 0) ? 1 : 0);
        for (int i = 0; i < 3; i++) assertArrayEquals(expected[i], h[i], 1e-12);
        double[] hp = new double[3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) hp[i] += expected[i][j] * pv[j];
        assertArrayEquals(hp, r.get(0).toDoubleArray(), 1e-12);
    }

    @Test void jacobianGraphDoesNotGrowWithTheOutput() {
        int[] counts = new int[2];
        long[] sizes = {3, 300};
        for (int k = 0; k < 2; k++) {
            long n = sizes[k];
            Variable x = T.tensor(DType.FLOAT64, new long[]{n}, "x");
            Variable y = T.mul(T.pow(x, 2), 0.5);
            Function f = Theon.function(List.of(x), Theon.jacobian(y, x));
            counts[k] = f.graph().nodes().size();
            double[] xv = new double[(int) n];
            for (int i = 0; i < n; i++) xv[i] = i * 0.01 - 1;
            NDArray J = f.call(xv);
            assertArrayEquals(new long[]{n, n}, J.shape());
            // d/dx_j of x_i^2 / 2 = x_i when i == j, else 0
            for (int i = 0; i < n; i += 37) for (int j = 0; j < n; j += 11) assertEquals(i == j ? xv[i] : 0, J.flatDouble(i * n + j), 1e-12);
            for (int i = 0; i < n; i++) assertEquals(xv[i], J.flatDouble(i * n + i), 1e-12);
        }
        assertEquals(counts[0], counts[1], "node count for y of length 3 vs 300");
    }
}
