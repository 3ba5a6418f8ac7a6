package org.vaelab.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.vaelab.cpu.CpuAllocation;

/** Versions, hardware and code revision, captured once per process and recorded with every run. */
public final class SystemInfo {

    /** The environment variables that set ND4J's and OpenBLAS's threads and kernels (see {@code org.vaelab.Main}). */
    public static final List<String> THREAD_VARIABLES = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE",
            "OPENBLAS_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT", "ND4J_SKIP_BLAS_THREADS");

    private SystemInfo() {
    }

    /** Java, ND4J, vaelab and OS versions. */
    public static Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        v.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        v.put("vaelab", vaelabVersion());
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return v;
    }

    /**
     * CPU model, core count (what the JVM sees), the processors this process may use and what limits them
     * ({@link CpuAllocation#describe()}), maximum heap and the thread settings in force.
     */
    public static Map<String, String> hardware() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("cpu", cpuModel());
        h.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        h.put("cpus", CpuAllocation.current().describe());
        h.put("maxHeapMiB", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
        for (String name : THREAD_VARIABLES) h.put(name, String.valueOf(System.getenv(name)));
        return h;
    }

    /**
     * The thread settings in force, as {@code NAME=value, …} over {@link #THREAD_VARIABLES}, then the processors this
     * process may use ({@code cpus 1 (availableProcessors=2, SLURM_CPUS_PER_TASK=1)}), for start-up lines.
     */
    public static String threadSettings() {
        return THREAD_VARIABLES.stream().map(name -> name + "=" + System.getenv(name)).collect(Collectors.joining(", "))
                + ", cpus " + CpuAllocation.current().describe();
    }

    /** Peak resident memory of this process in MiB (VmHWM from /proc/self/status), or -1 where unavailable. */
    public static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** {@code [commit, dirty]} of the checkout in the working directory; {@code unknown} without git. */
    public static String[] git() {
        String commit = run("git", "rev-parse", "HEAD");
        if (commit == null || commit.isBlank()) return new String[] {"unknown", "false"};
        String status = run("git", "status", "--porcelain", "--untracked-files=no");
        return new String[] {commit.trim(), Boolean.toString(status != null && !status.isBlank())};
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String vaelabVersion() {
        String v = SystemInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }

    private static String mavenVersion(String group, String artifact) {
        String res = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = SystemInfo.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
