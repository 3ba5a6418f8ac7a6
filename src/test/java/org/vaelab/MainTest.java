package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private static String[] capture(String experiment) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(experiment);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The launcher, not the user, sets the thread settings; a value the user exported is kept (OpenMP's and the core type, which CoreType.choose settles, excepted). */
    @Test
    void childEnvironmentHasTheThreadSettingsAndKeepsTheUsersOwn() {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of("PATH", "/bin"));
        Main.childEnvironment(env, 2, "SkylakeX");
        assertEquals(java.util.Map.of("PATH", "/bin", "OMP_NUM_THREADS", "1", "OMP_WAIT_POLICY", "PASSIVE",
                "ND4J_SKIP_BLAS_THREADS", "1", "OPENBLAS_NUM_THREADS", "2", "OPENBLAS_THREAD_TIMEOUT", "4",
                "OPENBLAS_CORETYPE", "SkylakeX", "VAELAB_CHILD", "1"), env);

        java.util.Map<String, String> own = new java.util.HashMap<>(java.util.Map.of("OMP_NUM_THREADS", "8",
                "OPENBLAS_NUM_THREADS", "1", "OPENBLAS_THREAD_TIMEOUT", "20", "OPENBLAS_CORETYPE", "Haswell"));
        Main.childEnvironment(own, 2, "SkylakeX");
        assertEquals("1", own.get("OMP_NUM_THREADS"), "ND4J's OpenMP threads must not spin beside OpenBLAS");
        assertEquals("1", own.get("OPENBLAS_NUM_THREADS"));
        assertEquals("20", own.get("OPENBLAS_THREAD_TIMEOUT"));
        assertEquals("SkylakeX", own.get("OPENBLAS_CORETYPE"), "the core type is the one CoreType.choose made");

        java.util.Map<String, String> unknownCpu = new java.util.HashMap<>();
        Main.childEnvironment(unknownCpu, 4, null);
        assertEquals("4", unknownCpu.get("OPENBLAS_NUM_THREADS"));
        assertTrue(!unknownCpu.containsKey("OPENBLAS_CORETYPE"), "no core type is guessed for an unknown CPU");
    }

    /** An inherited core type older than the CPU's is replaced, with a note; an explicit request always wins. */
    @Test
    void coreTypeUpgradesAnOlderInheritedKernelAndKeepsTheRest() {
        var upgraded = Main.CoreType.choose("Haswell", "SkylakeX", null);
        assertEquals("SkylakeX", upgraded.value());
        assertTrue(upgraded.note().contains("OPENBLAS_CORETYPE=Haswell") && upgraded.note().contains("-Dvaelab.openblasCoreType=Haswell"),
                upgraded.note());
        assertEquals("SkylakeX", Main.CoreType.choose("PRESCOTT", "SkylakeX", null).value(), "names are matched in any case");

        assertEquals(new Main.CoreType("Haswell", null), Main.CoreType.choose("Haswell", "Haswell", null));
        assertEquals(new Main.CoreType("CooperLake", null), Main.CoreType.choose("CooperLake", "SkylakeX", null),
                "as wide as the CPU's: kept");
        assertEquals(new Main.CoreType("SkylakeX", null), Main.CoreType.choose("SkylakeX", "Haswell", null),
                "wider than the flags suggest: the user's choice, kept");
        assertEquals(new Main.CoreType("MyOwnKernel", null), Main.CoreType.choose("MyOwnKernel", "SkylakeX", null),
                "unknown names are kept");
        assertEquals(new Main.CoreType("Haswell", null), Main.CoreType.choose("Haswell", null, null), "unknown CPU: kept");
        assertEquals(new Main.CoreType("SkylakeX", null), Main.CoreType.choose(null, "SkylakeX", null));
        assertEquals(new Main.CoreType(null, null), Main.CoreType.choose(null, null, null));
        assertEquals(new Main.CoreType("Haswell", null), Main.CoreType.choose("Haswell", "SkylakeX", "Haswell"),
                "-Dvaelab.openblasCoreType wins");
        assertEquals(new Main.CoreType("Sandybridge", null), Main.CoreType.choose(null, "SkylakeX", " Sandybridge "));
    }

    @Test
    void unknownExperimentExitsNonZeroAndListsTheKnownOnes() {
        String[] r = capture("quickstrat");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown experiment 'quickstrat'") && r[2].contains("quickstart"), r[2]);
        assertEquals(1, r[2].lines().filter(l -> l.startsWith("vaelab:")).count(), "one error line, no stack trace:\n" + r[2]);
    }

    @Test
    void listPrintsOneLinePerExperiment() {
        String[] r = capture("list");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("quickstart"), r[1]);
    }
}
