package dev.theon.bench.simd;

import java.util.Locale;

/**
 * How much of the machine the run had: a CPU-bound loop on one thread, then on two at once. On a quiet 2-core
 * machine two threads do about twice the work of one; when other work holds a core, the 2-thread rows of the suite
 * measure that contention rather than scaling, and this check says so.
 */
final class MachineCheck {
    private MachineCheck() {}

    private static volatile double sink;

    /** Independent multiply-add chains for about {@code ms} milliseconds; returns chains x iterations done. */
    private static long spin(long ms) {
        double a = 1.0000001, b = 0.9999999, c = 1.0000002, d = 0.9999998, e = 1.0000003, f = 0.9999997, g = 1.0000004, h = 0.9999996;
        long n = 0, end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100_000; i++) {
                a = Math.fma(a, b, 1e-9); c = Math.fma(c, d, 1e-9); e = Math.fma(e, f, 1e-9); g = Math.fma(g, h, 1e-9);
                b = Math.fma(b, a, -1e-9); d = Math.fma(d, c, -1e-9); f = Math.fma(f, e, -1e-9); h = Math.fma(h, g, -1e-9);
            }
            n += 8 * 100_000;
        }
        sink = a + b + c + d + e + f + g + h;
        return n;
    }

    /** "2 threads did 1.93x the work of 1". */
    static String run() throws InterruptedException {
        spin(200);
        long one = spin(500);
        long[] two = new long[2];
        Thread t = new Thread(() -> two[1] = spin(500));
        t.start();
        two[0] = spin(500);
        t.join();
        return String.format(Locale.ROOT, "2 threads did %.2fx the work of 1 in a CPU-bound loop", (two[0] + two[1]) / (double) one);
    }
}
