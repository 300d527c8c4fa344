package dev.theon.tensor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes held by live mapped arrays, and when to collect garbage for them. Native memory puts no pressure on the
 * garbage collector: a program whose Java heap barely grows never collects, so arrays it dropped long ago keep their
 * memory and every new array pays for fresh pages, which the kernel must zero (and a virtual machine's host may have
 * to supply): tens of milliseconds per 16 MB once gigabytes of garbage have piled up.
 * <p>
 * Two bounds. The <em>trigger</em>: an allocation that would take the live bytes past it asks for a garbage
 * collection ({@link System#gc}) and gives the cleaners, which unmap the dropped arrays (or keep them for reuse,
 * {@link MappingPool}) and give their bytes back here, a few milliseconds. If the arrays still live need more, the
 * allocation goes on past the trigger. The trigger starts at {@link #MIN_TRIGGER}; it doubles instead of collecting
 * when the last collection ended less than {@link #GC_TIME_RATIO} times its cost ago, and halves back when they come
 * far apart. So a program that keeps many arrays alive is not collected for nothing at every allocation, and one with
 * a large heap (where a full collection is slow) spends about 1/20 of its time in these collections at most.
 * <p>
 * The <em>limit</em> ({@code native_memory_limit}) is a hard bound, as {@code -XX:MaxDirectMemorySize} is for direct
 * buffers: at the limit an allocation collects, waits for the cleaners with growing pauses (about half a second in
 * all, as {@code java.nio.Bits} does) and then throws an {@link OutOfMemoryError} that names the limit. It never loops
 * longer. (With {@code -XX:+DisableExplicitGC} the collections asked for here do nothing.)
 */
final class NativeBudget {
    /** The least trigger (it grows while collections would come too often for their cost). */
    static final long MIN_TRIGGER = 256L << 20;
    /** Collections asked for here are at least this many times the last one's cost apart. */
    static final int GC_TIME_RATIO = 20;
    /** Pauses for the cleaners after a collection: 1, 2, 4 ms below the limit; at the limit up to 256 ms (0.5 s in all). */
    private static final long SHORT_PAUSES_MS = 4, MAX_PAUSE_MS = 256;

    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong COLLECTIONS = new AtomicLong();
    private static volatile long trigger = MIN_TRIGGER;
    /** One thread at a time collects and adjusts the trigger; the others wait for its outcome and then try again. */
    private static final Object COLLECTING = new Object();
    /** When the last collection asked for here ended, and what it cost with the wait for the cleaners (guarded by COLLECTING). */
    private static long lastGcEnd, lastGcNanos;

    private NativeBudget() {}

    static long live() { return LIVE.get(); }

    static long trigger() { return trigger; }

    /** How many times an allocation asked for a garbage collection. */
    static long collections() { return COLLECTIONS.get(); }

    /** Counts {@code bytes} as live, asking for a garbage collection first when the trigger or the limit says so. */
    static void reserve(long bytes, long limit) {
        if (tryReserve(bytes, Math.min(trigger, limit))) return;
        boolean interrupted = false;
        try {
            synchronized (COLLECTING) {
                if (tryReserve(bytes, Math.min(trigger, limit))) return;
                if (lastGcEnd != 0) {
                    long since = System.nanoTime() - lastGcEnd;
                    if (since < GC_TIME_RATIO * lastGcNanos) {
                        // a collection now would come too soon for what they cost: more room instead
                        trigger = Math.min(Math.max(limit, MIN_TRIGGER), 2 * trigger);
                        if (tryReserve(bytes, Math.min(trigger, limit))) return;
                    } else if (since > 4 * GC_TIME_RATIO * lastGcNanos) {
                        trigger = Math.max(MIN_TRIGGER, trigger / 2);
                    }
                }
                long t0 = System.nanoTime();
                COLLECTIONS.incrementAndGet();
                System.gc();
                boolean done = tryReserve(bytes, Math.min(trigger, limit));
                for (long pause = 1; !done && pause <= SHORT_PAUSES_MS; pause <<= 1) {
                    interrupted |= sleep(pause);
                    done = tryReserve(bytes, Math.min(trigger, limit));
                }
                lastGcEnd = System.nanoTime();
                lastGcNanos = lastGcEnd - t0;
                // past the trigger: the arrays still live need more (or the cleaners are late); the limit still holds
                if (done || tryReserve(bytes, limit)) return;
                for (long pause = 2 * SHORT_PAUSES_MS; pause <= MAX_PAUSE_MS; pause <<= 1) {
                    interrupted |= sleep(pause);
                    if (tryReserve(bytes, limit)) return;
                }
                throw new OutOfMemoryError("cannot allocate an array of " + bytes + " bytes: live arrays of " + NativeMemory.LARGE
                        + " bytes or more hold " + LIVE.get() + " bytes and the limit is " + limit + " bytes (config native_memory_limit,"
                        + " e.g. THEON_FLAGS=native_memory_limit=8g; by default -XX:MaxDirectMemorySize, else the maximum heap size)");
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();  // the caller sees the interrupt afterwards
        }
    }

    /** Sleeps; true when interrupted. */
    private static boolean sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static boolean tryReserve(long bytes, long bound) {
        long cur;
        do {
            cur = LIVE.get();
            if (cur + bytes > bound) return false;
        } while (!LIVE.compareAndSet(cur, cur + bytes));
        return true;
    }

    static void release(long bytes) { LIVE.addAndGet(-bytes); }
}
