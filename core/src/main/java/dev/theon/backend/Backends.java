package dev.theon.backend;

import dev.theon.TheonException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The backends on the class path, found once with ServiceLoader. */
public final class Backends {
    private Backends() {}

    private static volatile Map<String, Backend> all;

    public static Map<String, Backend> all() {
        Map<String, Backend> m = all;
        if (m == null) {
            synchronized (Backends.class) {
                if (all == null) {
                    Map<String, Backend> found = new LinkedHashMap<>();
                    for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) found.putIfAbsent(b.name(), b);
                    all = found;
                }
                m = all;
            }
        }
        return m;
    }

    /** The name "auto" chooses the SIMD CPU backend when its module is on the class path, else the reference backend. */
    public static final String AUTO = "auto";

    /** The backend a name stands for: {@link #AUTO} resolved, any other name as it is. */
    public static String resolve(String name) {
        if (!AUTO.equals(name)) return name;
        return all().containsKey("simd") ? "simd" : ReferenceBackend.NAME;
    }

    public static Backend get(String name) {
        Backend b = all().get(name);
        if (b == null) {
            List<String> names = new ArrayList<>(all().keySet());
            throw new TheonException.CompileError("no backend named '" + name + "' on the class path; available: " + names
                    + (name.equals("simd") || name.equals("opencl") ? " (add the theon-backend-" + name + " artifact)" : ""));
        }
        return b;
    }
}
