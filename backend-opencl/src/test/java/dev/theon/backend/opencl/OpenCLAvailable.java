package dev.theon.backend.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gate of every OpenCL test: with no OpenCL device, the tests are skipped (a JUnit assumption) with a message
 * saying how to install PoCL, except under {@code CI=true}, where a missing platform is a failure: CI installs
 * PoCL, so its absence there means the tests did not run.
 */
final class OpenCLAvailable {
    private OpenCLAvailable() {}

    static void require() {
        String why = OpenCLBackend.unavailableReason();
        if (why == null) return;
        String msg = "no OpenCL device: " + why;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " (CI=true: the OpenCL tests must run in CI)");
        assumeTrue(false, msg + "; the OpenCL tests are skipped");
    }
}
