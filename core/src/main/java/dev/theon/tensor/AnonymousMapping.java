package dev.theon.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;
import java.util.Set;

/**
 * Anonymous memory straight from the Linux kernel: {@code mmap}, {@code munmap} and {@code madvise} called through
 * the FFM linker. A fresh anonymous mapping reads as zeros, so nothing has to fill it; its pages are faulted in on
 * first write. Mappings start on a 2 MiB boundary and are advised {@code MADV_HUGEPAGE}, so where transparent huge
 * pages are enabled only on request ({@code /sys/kernel/mm/transparent_hugepage/enabled} = madvise) every whole
 * 2 MiB of the array is one huge page: one page fault instead of 512, and fewer TLB misses for the kernels that stream
 * through it.
 */
final class AnonymousMapping {
    static final long PAGE = 4096;
    static final long HUGE_PAGE = 2L << 20;

    // Linux's generic values (the same on x86-64, AArch64, RISC-V, POWER and s390x; see ARCHES)
    private static final int PROT_READ = 0x1, PROT_WRITE = 0x2, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MADV_HUGEPAGE = 14;
    private static final Set<String> ARCHES = Set.of("amd64", "x86_64", "aarch64", "riscv64", "ppc64le", "s390x");

    /** Why mappings cannot be made here, or null when they can. */
    static final String UNAVAILABLE;
    private static final MethodHandle MMAP, MUNMAP, MADVISE;
    private static final StructLayout CALL_STATE;
    private static final VarHandle ERRNO;
    /** Whether madvise(MADV_HUGEPAGE) was refused once (huge pages disabled); later mappings do not ask again. */
    private static volatile boolean hugePagesRefused;

    static {
        String os = System.getProperty("os.name", ""), arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        MethodHandle mmap = null, munmap = null, madvise = null;
        StructLayout state = null;
        VarHandle errno = null;
        String why = null;
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) why = "the operating system is " + os + ", not Linux";
        else if (!ARCHES.contains(arch)) why = "the architecture " + arch + " is not one whose mmap flags are known";
        else {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                Linker.Option errnoOption = Linker.Option.captureCallState("errno");
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
                mmap = linker.downcallHandle(find(libc, "mmap"), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), errnoOption);
                munmap = linker.downcallHandle(find(libc, "munmap"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), errnoOption);
                madvise = linker.downcallHandle(find(libc, "madvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errnoOption);
                // the trimming and the huge page size below assume 4 KiB pages (not so on some AArch64 kernels)
                int page = (int) linker.downcallHandle(find(libc, "getpagesize"), FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
                if (page != PAGE) why = "the page size is " + page + " bytes, not 4 KiB";
            } catch (Throwable e) {
                why = "the C library's mmap could not be linked: " + e;
            }
        }
        UNAVAILABLE = why;
        MMAP = mmap;
        MUNMAP = munmap;
        MADVISE = madvise;
        CALL_STATE = state;
        ERRNO = errno;
    }

    private AnonymousMapping() {}

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " not found"));
    }

    /** The length of the mapping that holds {@code bytes}: whole pages. */
    static long lengthFor(long bytes) { return (bytes + PAGE - 1) & -PAGE; }

    /**
     * Maps {@code length} bytes (a multiple of {@link #PAGE}) of zeroed memory starting on a 2 MiB boundary and returns
     * its address. The kernel only promises page alignment, so this maps 2 MiB more and unmaps the ends around the
     * aligned part.
     */
    static long map(long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            long over = length + HUGE_PAGE - PAGE;
            long raw = (long) MMAP.invokeExact(state, 0L, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (raw == -1L)
                throw new OutOfMemoryError("mmap of " + over + " bytes for an array failed: errno " + (int) ERRNO.get(state, 0L)
                        + " (the system is out of memory or address space)");
            long start = (raw + HUGE_PAGE - 1) & -HUGE_PAGE;
            if (start > raw) unmap(raw, start - raw);
            long end = start + length, rawEnd = raw + over;
            if (rawEnd > end) unmap(end, rawEnd - end);
            if (!hugePagesRefused && length >= HUGE_PAGE) {
                int rc = (int) MADVISE.invokeExact(state, start, length, MADV_HUGEPAGE);
                if (rc != 0) {  // THP disabled ("never") or not built in: 4 KiB pages, still correct
                    hugePagesRefused = true;
                    org.slf4j.LoggerFactory.getLogger(NativeMemory.class).info("madvise(MADV_HUGEPAGE) failed with errno {}: large arrays use"
                            + " 4 KiB pages (see /sys/kernel/mm/transparent_hugepage/enabled)", (int) ERRNO.get(state, 0L));
                }
            }
            return start;
        } catch (OutOfMemoryError | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed: " + t, t);
        }
    }

    /** Unmaps {@code length} bytes at {@code address}; failing would mean a bookkeeping bug, so it throws. */
    static void unmap(long address, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(CALL_STATE);
            int rc = (int) MUNMAP.invokeExact(state, address, length);
            if (rc != 0)
                throw new IllegalStateException("munmap(0x" + Long.toHexString(address) + ", " + length + ") failed: errno " + (int) ERRNO.get(state, 0L));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed: " + t, t);
        }
    }
}
