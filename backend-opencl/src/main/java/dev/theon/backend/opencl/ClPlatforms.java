package dev.theon.backend.opencl;

import dev.theon.TheonException;
import dev.theon.config.Config;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.jocl.CL.*;

/**
 * The OpenCL platforms and devices of this machine, found once, and the choice of a device by the configuration
 * keys {@code opencl.platform} and {@code opencl.device} (an index or part of a name; empty: the first GPU, else the
 * first device). Each chosen device is opened once ({@link ClDevice}) and shared by every function that runs on it.
 */
final class ClPlatforms {
    private ClPlatforms() {}

    /** What to tell a user whose machine has no OpenCL platform. */
    static final String HOW_TO_INSTALL = "install an OpenCL driver, e.g. PoCL for the CPU:"
            + " apt-get install ocl-icd-libopencl1 pocl-opencl-icd (Debian/Ubuntu), or your GPU vendor's OpenCL runtime";

    /** One device of one platform, by its indices. */
    record Found(int platformIndex, String platformName, int deviceIndex, cl_platform_id platform, cl_device_id device,
                 String name, long type, String version) {
        boolean isGpu() { return (type & CL_DEVICE_TYPE_GPU) != 0; }

        String label() {
            return platformIndex + ":" + deviceIndex + " " + name + " [" + platformName + ", " + version + ", "
                    + (isGpu() ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU" : "accelerator") + "]";
        }
    }

    private static volatile List<Found> found;
    private static volatile String problem;  // why no platform could be listed, or null
    private static final Map<String, ClDevice> OPEN = new ConcurrentHashMap<>();

    /** Every device of every platform; empty when OpenCL is missing ({@link #problem()} says why). */
    static List<Found> all() {
        List<Found> f = found;
        if (f != null) return f;
        synchronized (ClPlatforms.class) {
            if (found == null) found = discover();
            return found;
        }
    }

    /** Why no device was found (the loader or the platforms are missing), or null when some were. */
    static String problem() { all(); return problem; }

    private static List<Found> discover() {
        List<Found> out = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            clGetPlatformIDs(0, null, n);
            cl_platform_id[] ps = new cl_platform_id[n[0]];
            clGetPlatformIDs(ps.length, ps, null);
            for (int p = 0; p < ps.length; p++) {
                String pname = ClInfo.platformString(ps[p], CL_PLATFORM_NAME);
                int[] nd = new int[1];
                try {
                    clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (CLException e) {
                    continue;  // a platform without devices (CL_DEVICE_NOT_FOUND)
                }
                cl_device_id[] ds = new cl_device_id[nd[0]];
                clGetDeviceIDs(ps[p], CL_DEVICE_TYPE_ALL, ds.length, ds, null);
                for (int d = 0; d < ds.length; d++) {
                    out.add(new Found(p, pname, d, ps[p], ds[d], ClInfo.deviceString(ds[d], CL_DEVICE_NAME).strip(),
                            ClInfo.deviceLong(ds[d], CL_DEVICE_TYPE), ClInfo.deviceString(ds[d], CL_DEVICE_VERSION).strip()));
                }
            }
            if (out.isEmpty()) problem = "the OpenCL loader found no platform with a device";
        } catch (CLException e) {
            problem = "the OpenCL loader found no platform (" + e.getMessage() + ")";
        } catch (LinkageError e) {
            problem = "the OpenCL library could not be loaded (" + e.getMessage() + ")";
        }
        return List.copyOf(out);
    }

    /** The device a function runs on: {@code deviceOption} (the function's "device" option) overrides {@code opencl.device}. */
    static ClDevice choose(String deviceOption) {
        List<Found> all = all();
        if (all.isEmpty())
            throw new TheonException.CompileError("backend opencl: no OpenCL device is available: " + problem() + "; " + HOW_TO_INSTALL);
        Config cfg = Config.get();
        String platformKey = cfg.value("opencl.platform").strip();
        String deviceKey = deviceOption != null && !deviceOption.isBlank() ? deviceOption.strip() : cfg.value("opencl.device").strip();
        Found f = select(all, platformKey, deviceKey);
        return OPEN.computeIfAbsent(f.platformIndex() + ":" + f.deviceIndex(), k -> new ClDevice(f));
    }

    /**
     * The selection rule, separate from the machine's devices so it can be tested. The platform is the one
     * {@code platformKey} names (index or part of its name), else the first with a GPU, else the first. The device
     * is {@code deviceKey}: "p:d" names both indices; an index counts within the platform; a name is looked for in
     * the platform, or in every platform when none was named; empty means the platform's first GPU, else its first
     * device.
     */
    static Found select(List<Found> all, String platformKey, String deviceKey) {
        for (Found f : all) if (deviceKey.equals(f.platformIndex() + ":" + f.deviceIndex())) return f;
        List<Found> platform;
        if (!platformKey.isEmpty()) {
            platform = all.stream().filter(f -> matches(platformKey, f.platformIndex(), f.platformName())).toList();
            if (platform.isEmpty())
                throw new TheonException.CompileError("backend opencl: opencl.platform='" + platformKey + "' matches no platform; available: "
                        + all.stream().map(f -> f.platformIndex() + " " + f.platformName()).distinct().toList());
        } else {
            int p = all.stream().filter(Found::isGpu).findFirst().orElse(all.get(0)).platformIndex();
            platform = all.stream().filter(f -> f.platformIndex() == p).toList();
        }
        if (deviceKey.isEmpty()) return platform.stream().filter(Found::isGpu).findFirst().orElse(platform.get(0));
        for (Found f : platform) if (deviceKey.equals(String.valueOf(f.deviceIndex()))) return f;
        String lower = deviceKey.toLowerCase(Locale.ROOT);
        for (Found f : platformKey.isEmpty() ? all : platform) if (f.name().toLowerCase(Locale.ROOT).contains(lower)) return f;
        throw new TheonException.CompileError("backend opencl: device '" + deviceKey + "' (opencl.device, or the function's device option) matches no device"
                + (platformKey.isEmpty() ? "" : " of platform '" + platformKey + "'") + "; available: " + all.stream().map(Found::label).toList());
    }

    private static boolean matches(String key, int index, String name) {
        return key.equals(String.valueOf(index)) || name.toLowerCase(Locale.ROOT).contains(key.toLowerCase(Locale.ROOT));
    }

    /** Reads OpenCL info strings and numbers. */
    static final class ClInfo {
        private ClInfo() {}

        static String platformString(cl_platform_id p, int param) {
            long[] size = new long[1];
            clGetPlatformInfo(p, param, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
            return cString(b);
        }

        static String deviceString(cl_device_id d, int param) {
            long[] size = new long[1];
            clGetDeviceInfo(d, param, 0, null, size);
            byte[] b = new byte[(int) size[0]];
            clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
            return cString(b);
        }

        static long deviceLong(cl_device_id d, int param) {
            long[] v = new long[1];
            clGetDeviceInfo(d, param, 8, Pointer.to(v), null);
            return v[0];
        }

        static int deviceInt(cl_device_id d, int param) {
            int[] v = new int[1];
            clGetDeviceInfo(d, param, 4, Pointer.to(v), null);
            return v[0];
        }

        private static String cString(byte[] b) {
            int n = b.length;
            while (n > 0 && b[n - 1] == 0) n--;
            return new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
