package dev.theon.simd.blas;

import dev.theon.tensor.DType;
import dev.theon.tensor.NDArray;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code out = alpha * out + beta * c} over a contiguous matrix or vector {@code out} and a (broadcast) view
 * {@code c} of its shape: gemm's second half, once the product is in {@code out}. Rows of {@code c} with unit stride
 * and broadcast rows (a bias vector) run on vectors.
 */
public final class Axpby {
    private Axpby() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    public static void apply(NDArray out, NDArray c, double alpha, double beta) {
        long[] shape = out.shape();
        long rows = shape.length == 2 ? shape[0] : 1, cols = shape[shape.length - 1];
        long[] cst = c.strides();
        long crs = shape.length == 2 ? cst[0] : 0, ccs = cst[cst.length - 1];
        boolean f32 = out.dtype() == DType.FLOAT32;
        MemorySegment o = out.segment(), cs = c.segment();
        for (long i = 0; i < rows; i++) {
            long oo = out.offset() + i * cols, co = c.offset() + i * crs;
            if (f32) rowF(o, oo, cs, co, ccs, cols, (float) alpha, (float) beta);
            else rowD(o, oo, cs, co, ccs, cols, alpha, beta);
        }
    }

    private static void rowF(MemorySegment o, long oo, MemorySegment c, long co, long cs, long n, float alpha, float beta) {
        if (cs != 0 && cs != 1) {
            for (long j = 0; j < n; j++)
                o.setAtIndex(ValueLayout.JAVA_FLOAT, oo + j, alpha * o.getAtIndex(ValueLayout.JAVA_FLOAT, oo + j) + beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, co + j * cs));
            return;
        }
        FloatVector a = FloatVector.broadcast(FS, alpha), b = FloatVector.broadcast(FS, beta);
        FloatVector bc = cs == 0 ? FloatVector.broadcast(FS, beta * c.getAtIndex(ValueLayout.JAVA_FLOAT, co)) : null;
        for (long j = 0; j < n; j += FS.length()) {
            VectorMask<Float> m = FS.indexInRange(j, n);
            FloatVector x = FloatVector.fromMemorySegment(FS, o, (oo + j) * 4, ORDER, m).mul(a);
            FloatVector y = bc != null ? bc : FloatVector.fromMemorySegment(FS, c, (co + j) * 4, ORDER, m).mul(b);
            x.add(y).intoMemorySegment(o, (oo + j) * 4, ORDER, m);
        }
    }

    private static void rowD(MemorySegment o, long oo, MemorySegment c, long co, long cs, long n, double alpha, double beta) {
        if (cs != 0 && cs != 1) {
            for (long j = 0; j < n; j++)
                o.setAtIndex(ValueLayout.JAVA_DOUBLE, oo + j, alpha * o.getAtIndex(ValueLayout.JAVA_DOUBLE, oo + j) + beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, co + j * cs));
            return;
        }
        DoubleVector a = DoubleVector.broadcast(DS, alpha), b = DoubleVector.broadcast(DS, beta);
        DoubleVector bc = cs == 0 ? DoubleVector.broadcast(DS, beta * c.getAtIndex(ValueLayout.JAVA_DOUBLE, co)) : null;
        for (long j = 0; j < n; j += DS.length()) {
            VectorMask<Double> m = DS.indexInRange(j, n);
            DoubleVector x = DoubleVector.fromMemorySegment(DS, o, (oo + j) * 8, ORDER, m).mul(a);
            DoubleVector y = bc != null ? bc : DoubleVector.fromMemorySegment(DS, c, (co + j) * 8, ORDER, m).mul(b);
            x.add(y).intoMemorySegment(o, (oo + j) * 8, ORDER, m);
        }
    }
}
