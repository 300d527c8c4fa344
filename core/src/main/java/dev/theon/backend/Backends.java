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
