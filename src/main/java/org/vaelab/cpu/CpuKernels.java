package org.vaelab.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Which OpenBLAS kernel family this CPU can run, read from its flags. */
public final class CpuKernels {

    private CpuKernels() {
    }

    /**
     * The newest OpenBLAS x86-64 kernel family this CPU supports, from /proc/cpuinfo's flags: {@code SkylakeX} with
     * AVX-512 (F, BW, VL), {@code Haswell} with AVX2 and FMA; null if neither or unknown (not Linux, unreadable).
     */
    public static String openBlasCoreType() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (!line.startsWith("flags")) continue;
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                if (flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl")) return "SkylakeX";
                if (flags.contains("avx2") && flags.contains("fma")) return "Haswell";
                return null;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: leave OpenBLAS to its own detection.
        }
        return null;
    }
}
