package dev.theon.simd;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool every kernel of this backend shares. Its size (the parallelism, default: the number of cores;
 * system property {@code theon.simd.threads}, or {@link #setParallelism} at run time) bounds the threads that compute
 * at once, whatever number of functions run concurrently.
 * <p>
 * A parallel kernel asks for a {@link Team} of up to {@code want} threads: the calling thread is always one of them
 * and the others are idle pool workers. Each member holds one of {@code parallelism} permits while it computes; the
 * caller's permit is waited for, helpers' are only taken when free. So two large kernels started at once share the
 * cores (the second gets fewer helpers, or waits for a permit) instead of each starting a full set of threads. Every
 * helper a team gets is guaranteed a worker (helpers in use never exceed the workers), so team members may wait for
 * each other at barriers. {@link #run} (independent parts) lets members claim parts, so a late helper never holds the
 * caller up; in a {@link Team#run} a part that no worker has started when the caller is done with its own runs on the
 * caller (a loaded machine may keep a woken worker off the cores for a whole scheduling slice). Small kernels do not
 * come here at all: they run on the caller, costing nothing.
 */
public final class Pool {
    private static final AtomicReference<Pool> CURRENT = new AtomicReference<>(new Pool(defaultParallelism()));

    private final int parallelism;
    private final Semaphore permits;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private static final Runnable STOP = () -> { };

    /** Work split into parts: {@code run(part, parts)} is called once for each part in [0, parts). */
    @FunctionalInterface public interface Task { void run(int part, int parts); }

    private Pool(int parallelism) {
        this.parallelism = parallelism;
        this.permits = new Semaphore(parallelism);
        for (int i = 0; i < parallelism - 1; i++) {
            Thread t = new Thread(this::work, "theon-simd-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private static int defaultParallelism() {
        String p = System.getProperty("theon.simd.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) { }
            throw new IllegalArgumentException("theon.simd.threads: '" + p + "' is not a positive integer");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private void work() {
        while (true) {
            Runnable r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (r == STOP) return;
            r.run();
        }
    }

    /**
     * How many parts to split {@code work} into when a part should hold at least {@code perPart} of it: handing a part
     * to another thread costs tens of microseconds (more on a loaded machine), so small work stays on the caller.
     */
    public static int partsFor(long work, long perPart) {
        return (int) Math.max(1, Math.min(parallelism(), work / Math.max(1, perPart / splitDivisor)));
    }

    /** Tests divide every kernel's per-part work by this, so that small arrays take the multi-threaded paths. */
    static volatile long splitDivisor = 1;

    /** How many threads compute at most at once. */
    public static int parallelism() { return CURRENT.get().parallelism; }

    /** Replaces the pool by one of {@code n} threads; kernels already running finish on the old one. */
    public static void setParallelism(int n) {
        if (n < 1) throw new IllegalArgumentException("parallelism must be at least 1, got " + n);
        Pool old = CURRENT.getAndSet(new Pool(n));
        for (int i = 0; i < old.parallelism - 1; i++) old.queue.add(STOP);
    }

    /**
     * Runs {@code task} split into {@code want} independent parts (one when {@code want <= 1}); returns when every
     * part is done. The caller and the helpers it gets claim parts one at a time, so a helper that starts late (its
     * core busy with another process) finds its part already done by the caller instead of holding the caller up:
     * on a loaded machine two threads then cost about what one does, instead of waiting for the slower thread.
     */
    public static void run(int want, Task task) {
        if (want <= 1) { task.run(0, 1); return; }
        team(want).runClaimed(want, task);
    }

    /** Reserves up to {@code want} threads (the caller and idle workers); waits only for the caller's own permit. */
    public static Team team(int want) {
        Pool p = CURRENT.get();
        p.permits.acquireUninterruptibly();
        int helpers = 0;
        while (helpers < Math.min(want, p.parallelism) - 1 && p.permits.tryAcquire()) helpers++;
        return new Team(p, helpers + 1);
    }

    /** Threads reserved for one kernel: {@link #size()} parts run at once, the caller doing part 0. */
    public static final class Team {
        private final Pool pool;
        private final int size;
        private boolean used;

        private Team(Pool pool, int size) { this.pool = pool; this.size = size; }

        public int size() { return size; }

        /**
         * Runs {@code parts} independent parts, each claimed by whichever member is free first (the caller too, after
         * its own), and releases the team; the first failure is rethrown once every claimed part has ended. A helper
         * that starts after every part is claimed only gives its permit back.
         */
        void runClaimed(int parts, Task task) {
            if (used) throw new IllegalStateException("a team runs one task");
            used = true;
            AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = Thread.currentThread();
            Runnable claim = () -> {
                for (int p; (p = next.getAndIncrement()) < parts; ) {
                    try {
                        task.run(p, parts);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        if (done.incrementAndGet() == parts) LockSupport.unpark(caller);
                    }
                }
            };
            for (int h = 1; h < size; h++) {
                pool.queue.add(() -> {
                    try {
                        claim.run();
                    } finally {
                        pool.permits.release();
                    }
                });
            }
            try {
                claim.run();
            } finally {
                pool.permits.release();
            }
            for (int spins = 0; done.get() < parts; spins++) {
                if (spins < 2000) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000);
            }
            rethrow(failure.get());
        }

        /**
         * Runs the parts and releases the team (also when a part throws: the first failure is rethrown). Parts that no
         * worker has started by the time the caller finishes its own are run by the caller: on a loaded machine a
         * worker may wait a whole scheduling slice for a core, and the caller does not wait for it.
         */
        public void run(Task task) {
            if (used) throw new IllegalStateException("a team runs one task");
            used = true;
            AtomicInteger pending = new AtomicInteger(size - 1);
            AtomicIntegerArray taken = new AtomicIntegerArray(size);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread caller = Thread.currentThread();
            for (int p = 1; p < size; p++) {
                int part = p;
                pool.queue.add(() -> {
                    // taken over by the caller, which has released this helper's permit: nothing left to do
                    if (!taken.compareAndSet(part, 0, 1)) return;
                    try {
                        task.run(part, size);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        pool.permits.release();
                        if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
                    }
                });
            }
            try {
                task.run(0, size);
                for (int p = 1; p < size; p++) {
                    if (!taken.compareAndSet(p, 0, 1)) continue;
                    try {
                        if (failure.get() == null) task.run(p, size);
                    } finally {
                        // the worker that finds this part's task later does nothing, so its permit is free now; the
                        // parts that wait for each other never outnumber the workers
                        pool.permits.release();
                        pending.decrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                for (int p = 1; p < size; p++) if (taken.compareAndSet(p, 0, 1)) { pool.permits.release(); pending.decrementAndGet(); }
            } finally {
                pool.permits.release();
            }
            for (int spins = 0; pending.get() > 0; spins++) {
                if (spins < 2000) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 100_000);
            }
            rethrow(failure.get());
        }

        private static void rethrow(Throwable t) {
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}
