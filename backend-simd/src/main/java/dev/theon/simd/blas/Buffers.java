package dev.theon.simd.blas;

/**
 * Packing buffers, kept per thread and grown on demand, so steady-state products allocate nothing. The shared B
 * buffers of a multi-threaded product belong to the thread that leads it.
 */
final class Buffers {
    private Buffers() {}

    private static final class Local {
        float[] aF = new float[0], bF = new float[0];
        double[] aD = new double[0], bD = new double[0];
        float[][] sharedF = new float[0][];
        double[][] sharedD = new double[0][];
    }

    private static final ThreadLocal<Local> LOCAL = ThreadLocal.withInitial(Local::new);

    static float[] packA(int n) { Local l = LOCAL.get(); if (l.aF.length < n) l.aF = new float[n]; return l.aF; }
    static float[] packB(int n) { Local l = LOCAL.get(); if (l.bF.length < n) l.bF = new float[n]; return l.bF; }
    static double[] packAD(int n) { Local l = LOCAL.get(); if (l.aD.length < n) l.aD = new double[n]; return l.aD; }
    static double[] packBD(int n) { Local l = LOCAL.get(); if (l.bD.length < n) l.bD = new double[n]; return l.bD; }

    static float[][] sharedB(int count, int n) {
        Local l = LOCAL.get();
        if (l.sharedF.length < count || l.sharedF[0].length < n) { l.sharedF = new float[count][n]; }
        return l.sharedF;
    }

    static double[][] sharedBD(int count, int n) {
        Local l = LOCAL.get();
        if (l.sharedD.length < count || l.sharedD[0].length < n) { l.sharedD = new double[count][n]; }
        return l.sharedD;
    }
}
