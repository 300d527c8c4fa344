package dev.theon.tensor;

import dev.theon.config.Config;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Storage of large arrays: mapped, zeroed, aligned, reused, counted and bounded. */
class NativeMemoryTest {
    static final long MB = 1L << 20;

    /** Every byte of the segment is zero (read 8 at a time; the tail byte by byte). */
    static void assertAllZero(MemorySegment s, long bytes) {
        long i = 0;
        for (; i + 8 <= bytes; i += 8) if (s.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) fail("byte " + i + "+ is not zero");
        for (; i < bytes; i++) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
    }

    /** Collects until the condition holds (the cleaners run after a collection), for at most 10 s. */
    static void collectUntil(BooleanSupplier done, String what) {
        for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
            System.gc();
            try { Thread.sleep(50); } catch (InterruptedException e) { throw new AssertionError(e); }
        }
        assertTrue(done.getAsBoolean(), what);
    }

    @Test void largeArraysAreMappedZeroedAndAligned() {
        assumeTrue(NativeMemory.mapsLargeArrays(), () -> "large arrays are not mapped here: " + NativeMemory.whyNotMapped());
        // 3 MiB + 12 bytes: one whole huge page and a tail of small pages, not a whole number of pages
        long n = (3 * MB + 12) / 4;
        NDArray a = NDArray.zeros(DType.FLOAT32, n);
        long addr = a.segment().address();
        assertEquals(0, addr % (2 * MB), "mapped arrays start on a huge page boundary");
        assertEquals(n * 4, a.segment().byteSize(), "the segment is exactly the array, not the mapping");
        assertAllZero(a.segment(), n * 4);
        assertTrue(NativeMemory.heldBytes() >= n * 4, "held bytes count the array");
        for (long i = 0; i < n; i += 4099) a.writeDouble(i, i);
        a.writeDouble(n - 1, -1.5);
        for (long i = 0; i < n; i += 4099) assertEquals((float) i, a.readDouble(i));
        assertEquals(-1.5, a.readDouble(n - 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.segment().get(ValueLayout.JAVA_BYTE, n * 4));
        // views share the mapping
        NDArray v = a.reshape(n / 5, 5).slice(0, 1, 3, 1);
        assertTrue(v.sharesStorageWith(a));
        v.writeDouble(v.offset(), 42);
        assertEquals(42, a.readDouble(5));
        // every dtype
        for (DType d : new DType[]{DType.FLOAT64, DType.FLOAT32, DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.BOOL}) {
            NDArray b = NDArray.zeros(d, 2 * MB / d.byteSize() + 1);
            assertEquals(0, b.segment().address() % (2 * MB), d.toString());
            assertAllZero(b.segment(), b.segment().byteSize());
            b.writeDouble(b.size() - 1, 1);
            assertEquals(1, b.readDouble(b.size() - 1), d.toString());
        }
    }

    @Test void smallArraysAndTheFallbackUseTheArena() {
        NDArray small = NDArray.zeros(DType.FLOAT64, 1000);
        assertEquals(0, small.segment().address() % NDArray.ALIGNMENT);
        assertAllZero(small.segment(), 8000);
        assertTrue(NativeMemory.LARGE > 8000);
        boolean mapped = NativeMemory.mapsLargeArrays();
        try {
            NativeMemory.mapLargeArrays(false);
            long held = NativeMemory.heldBytes();
            NDArray big = NDArray.zeros(DType.FLOAT64, 3 * MB / 8);
            assertEquals(0, big.segment().address() % NDArray.ALIGNMENT);
            assertAllZero(big.segment(), 3 * MB);
            big.writeDouble(3 * MB / 8 - 1, 7);
            assertEquals(7, big.readDouble(3 * MB / 8 - 1));
            assertTrue(NativeMemory.heldBytes() <= held, "arena arrays are not counted as mapped");
            if (mapped) assertEquals("turned off", NativeMemory.whyNotMapped());
        } finally {
            if (mapped) NativeMemory.mapLargeArrays(true);
        }
    }

    @Test void aReusedMappingIsZeroedAgain() {
        assumeTrue(NativeMemory.mapsLargeArrays(), () -> "large arrays are not mapped here: " + NativeMemory.whyNotMapped());
        long n = 4 * MB;
        NDArray a = NDArray.zeros(DType.INT8, n);
        a.segment().fill((byte) 0x5a);
        long addr = a.segment().address();
        a = null;
        collectUntil(() -> MappingPool.holds(addr), "the dropped array's mapping is kept for reuse");
        assertTrue(MappingPool.keptBytes() >= n);
        // the kept mapping (or another kept one of the same length) comes back, zeroed
        List<NDArray> again = new ArrayList<>();
        boolean reused = false;
        for (int i = 0; i < 64 && !reused; i++) {
            NDArray b = NDArray.zeros(DType.INT8, n);
            again.add(b);
            assertAllZero(b.segment(), n);
            reused = b.segment().address() == addr;
        }
        assertTrue(reused, "a kept mapping of the same length is handed out again");
    }

    /** Kept mappings count against the limit too: the process never holds more than the limit in large arrays. */
    @Test void droppingFarMoreThanTheLimitStaysWithinIt() {
        assumeTrue(NativeMemory.mapsLargeArrays(), () -> "large arrays are not mapped here: " + NativeMemory.whyNotMapped());
        Config cfg = Config.get();
        long limit = 48 * MB, array = 16 * MB;
        try {
            cfg.set(Config.NATIVE_MEMORY_LIMIT, "48m");
            assertEquals(limit, NativeMemory.limit());
            assertEquals(limit, NativeMemory.collectionTrigger(), "the trigger never passes the limit");
            long collections = NativeMemory.collectionsRequested(), max = 0;
            for (int i = 0; i < 100; i++) {  // 1.6 GB in all, 33 times the limit
                NDArray a = NDArray.zeros(DType.FLOAT32, array / 4);
                a.writeDouble(i, i);
                assertEquals(i, a.readDouble(i));
                max = Math.max(max, NativeMemory.heldBytes());
                assertTrue(NativeMemory.heldBytes() <= limit, "held " + NativeMemory.heldBytes() + " > limit " + limit + " at array " + i);
            }
            assertTrue(max > 0);
            assertTrue(NativeMemory.collectionsRequested() > collections, "reaching the limit asked for collections");

            // arrays that stay reachable past the limit: an OutOfMemoryError that names the limit, and no endless wait
            List<NDArray> kept = new ArrayList<>();
            long t0 = System.nanoTime();
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> { for (int i = 0; i < 4; i++) kept.add(NDArray.zeros(DType.INT8, array)); });
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "gave up within seconds");
            assertTrue(e.getMessage().contains("native_memory_limit") && e.getMessage().contains(Long.toString(limit)), e.getMessage());
            assertTrue(kept.size() >= 1 && kept.size() < 4);
            kept.clear();
            NDArray after = NDArray.zeros(DType.INT8, array);  // the dropped ones are collected for it
            assertAllZero(after.segment(), array);
        } finally {
            cfg.unset(Config.NATIVE_MEMORY_LIMIT);
        }
    }

    @Test void theLimitIsAConfigurationKey() {
        Config c = Config.load(null, null);
        assertEquals(Runtime.getRuntime().maxMemory(), c.nativeMemoryLimit(), "by default the heap bound, as MaxDirectMemorySize");
        assertEquals(64 * MB, c.set(Config.NATIVE_MEMORY_LIMIT, "64m").nativeMemoryLimit());
        assertEquals(3L << 30, c.set(Config.NATIVE_MEMORY_LIMIT, "3G").nativeMemoryLimit());
        assertEquals(12345, c.set(Config.NATIVE_MEMORY_LIMIT, "12345").nativeMemoryLimit());
        assertEquals(512L << 10, c.set(Config.NATIVE_MEMORY_LIMIT, "512kb").nativeMemoryLimit());
        for (String bad : new String[]{"lots", "-5m", "0", "1.5g"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.set(Config.NATIVE_MEMORY_LIMIT, bad));
            assertTrue(e.getMessage().contains("native_memory_limit") && e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Config.load("native_memory_limit=much", null));
        assertEquals(2L << 30, Config.load("native_memory_limit=2g", null).nativeMemoryLimit());
    }
}
