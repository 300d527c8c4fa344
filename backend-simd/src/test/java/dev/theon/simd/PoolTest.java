package dev.theon.simd;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The shared pool: bounded concurrency across simultaneous kernels, every part run once, teams that can meet. */
class PoolTest {
    private final int original = Pool.parallelism();

    @AfterEach void restore() { Pool.setParallelism(original); }

    @Test void concurrentKernelsNeverComputeOnMoreThreadsThanTheParallelism() throws Exception {
        Pool.setParallelism(3);
        AtomicInteger inside = new AtomicInteger(), most = new AtomicInteger(), parts = new AtomicInteger();
        Runnable kernel = () -> {
            for (int rep = 0; rep < 20; rep++) {
                Pool.run(8, (p, q) -> {
                    int now = inside.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    parts.incrementAndGet();
                    long end = System.nanoTime() + 200_000;
                    while (System.nanoTime() < end) Thread.onSpinWait();
                    inside.decrementAndGet();
                });
            }
        };
        Thread[] callers = new Thread[4];
        for (int i = 0; i < callers.length; i++) { callers[i] = new Thread(kernel); callers[i].start(); }
        for (Thread t : callers) t.join();
        assertTrue(most.get() <= 3, "at most 3 threads computed at once, saw " + most.get());
        assertTrue(parts.get() >= 4 * 20, "every kernel ran all its parts");
    }

    @Test void eachPartRunsOnceAndFailuresReachTheCaller() {
        Pool.setParallelism(2);
        AtomicInteger[] hits = {new AtomicInteger(), new AtomicInteger()};
        Pool.run(2, (p, q) -> hits[p].incrementAndGet());
        assertEquals(1, hits[0].get());
        assertEquals(1, hits[1].get());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Pool.run(2, (p, q) -> { if (p == q - 1) throw new IllegalStateException("part failed"); }));
        assertEquals("part failed", e.getMessage());
    }

    @Test void runSplitsIntoTheWantedPartsWhateverTheThreads() {
        Pool.setParallelism(2);
        for (int want : new int[]{2, 3, 8}) {
            AtomicInteger[] hits = new AtomicInteger[want];
            for (int i = 0; i < want; i++) hits[i] = new AtomicInteger();
            AtomicInteger wrongCount = new AtomicInteger();
            for (int rep = 0; rep < 50; rep++) Pool.run(want, (p, q) -> { if (q != want) wrongCount.incrementAndGet(); hits[p].incrementAndGet(); });
            assertEquals(0, wrongCount.get(), "every part is told the wanted count " + want);
            for (int i = 0; i < want; i++) assertEquals(50, hits[i].get(), "part " + i + " of " + want + " ran once per call");
        }
    }

    @Test void theCallerRunsPartsNoHelperHasClaimed() throws Exception {
        // one thread: no helper at all, every part runs on the caller, in order
        Pool.setParallelism(1);
        StringBuilder order = new StringBuilder();
        Thread caller = Thread.currentThread();
        Pool.run(4, (p, q) -> { assertSame(caller, Thread.currentThread()); order.append(p); });
        assertEquals("0123", order.toString());
    }

    @Test void everyPartRunsExactlyOnceWithMoreCallersThanThreads() throws Exception {
        // parts a worker has not started when the caller is done with its own are run by the caller: never twice, never lost
        Pool.setParallelism(2);
        AtomicInteger failures = new AtomicInteger();
        Thread[] callers = new Thread[6];
        for (int c = 0; c < callers.length; c++) {
            callers[c] = new Thread(() -> {
                for (int rep = 0; rep < 300; rep++) {
                    // a team gets fewer threads than asked when the permits are taken: parts is what it got
                    AtomicInteger[] hits = {new AtomicInteger(), new AtomicInteger()};
                    AtomicInteger parts = new AtomicInteger();
                    Pool.team(2).run((p, q) -> {
                        parts.set(q);
                        hits[p].incrementAndGet();
                        for (int spin = 0; spin < (p == 0 ? 10 : 2000); spin++) Thread.onSpinWait();
                    });
                    for (int p = 0; p < 2; p++) if (hits[p].get() != (p < parts.get() ? 1 : 0)) failures.incrementAndGet();
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join();
        assertEquals(0, failures.get(), "runs where a part ran other than once");
    }

    @Test void teamMembersMayWaitForEachOther() {
        Pool.setParallelism(2);
        for (int rep = 0; rep < 50; rep++) {
            Pool.Team team = Pool.team(2);
            CyclicBarrier barrier = new CyclicBarrier(team.size());
            team.run((p, q) -> {
                try {
                    barrier.await();
                } catch (InterruptedException | BrokenBarrierException ex) {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }
}
