package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.vaelab.experiment.Overrides;

class MainTest {

    /** Runs {@link Main#run} on {@code -Dkey=value} pairs: exit code, stdout, stderr. */
    private static String[] capture(boolean relaunch, String... keyValues) throws Exception {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        PrintStream out = System.out;
        PrintStream err = System.err;
        var o = new ByteArrayOutputStream();
        var e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(p, relaunch);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] capture(String experiment) throws Exception {
        return capture(false, "experiment", experiment);
    }

    /** Exit code 2 and exactly one line on stderr, which contains {@code expected}. */
    private static void assertBadUsage(String[] r, String expected) {
        assertEquals("2", r[0], r[2]);
        assertEquals(1, r[2].lines().count(), "one error line, no stack trace:\n" + r[2]);
        assertTrue(r[2].startsWith("vaelab: ") && r[2].contains(expected), r[2]);
        assertEquals("", r[1], "nothing ran");
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

    /**
     * The typos that used to pass silently now stop with exit code 2 before anything starts: with relaunch = true a
     * valid command line would start a child JVM, so these fail in the launcher, before any child.
     */
    @Test
    void badCommandLinesFailInTheLauncherWithOneLine() throws Exception {
        assertBadUsage(capture(true, "experiment", "quickstart", "epoch", "5"), "-Depoch=5 is not a vaelab option: did you mean -Depochs?");
        assertBadUsage(capture(true, "experiment", "quickstart", "foo", "bar"), "-Dfoo=bar is not a vaelab option: the options are -Dexperiment,");
        assertBadUsage(capture(true, "experiment", "quickstart", "budget", "huge"), "quickstart: it defines no budgets besides default");
        assertBadUsage(capture(true, "experiment", "weighting-shootout", "budget", "huge"), "expected one of default, smoke");
        assertBadUsage(capture(true, "experiment", "quickstart", "iwK", "-1"), "-DiwK=-1 is not valid: expected a whole number from 0 to 2147483647 (0 = off)");
        assertBadUsage(capture(true, "experiment", "quickstart", "epochs", "99999999999"), "a whole number from 1 to 2147483647");
        assertBadUsage(capture(true, "experiment", "bench", "iwK", "100"), "-DiwK=100 is not used by bench, which accepts -Depochs, -DtrainLimit");
        assertBadUsage(capture(true, "experiment", "metrics-check", "prune", "true"), "-Dprune=true is not used by metrics-check");
        assertBadUsage(capture(true, "experiment", "list", "seed", "3"), "did you mean -Dseeds?");
        int tooMany = org.vaelab.cpu.CpuAllocation.current().cpus() + 1;
        assertBadUsage(capture(true, "experiment", "quickstart", "workers", Integer.toString(tooMany)),
                "-Dworkers=" + tooMany + " is not valid: this process may use ");
        assertBadUsage(capture(true, "experiment", "quickstart", "workers", "2", "verify", "true"), "-Dworkers=2 ");
        assertBadUsage(capture(true, "experiment", "bench", "workers", "2"), "-Dworkers=2 is not used by bench");
        assertBadUsage(capture(false, "experiment", "quickstart", "workers", "0"), "-Dworkers=0 is not valid");
    }

    /** Every option candidate reaches the child, so an option added later cannot silently disappear on the way. */
    @Test
    void theChildGetsEveryVaelabOptionAndNotTheJvmsOwnSettings() {
        for (String key : Overrides.KEYS) assertTrue(Main.forwarded(key), key);
        for (String key : new String[] {"prune", "aFutureOption", "vaelab.future", "skipTests", "org.slf4j.simpleLogger.defaultLogLevel",
                "org.bytedeco.javacpp.maxbytes"})
            assertTrue(Main.forwarded(key), key);
        for (String key : new String[] {"java.home", "java.class.path", "user.dir", "maven.home", "file.encoding", "exec.args"})
            assertFalse(Main.forwarded(key), key);
    }

    @Test
    void unknownExperimentExitsNonZeroAndListsTheKnownOnes() throws Exception {
        String[] r = capture("quickstrat");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown experiment 'quickstrat'") && r[2].contains("quickstart"), r[2]);
        assertEquals(1, r[2].lines().filter(l -> l.startsWith("vaelab:")).count(), "one error line, no stack trace:\n" + r[2]);
    }

    @Test
    void listPrintsOneLinePerExperiment() throws Exception {
        String[] r = capture("list");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("quickstart"), r[1]);
        assertTrue(r[1].contains("-Dprune=..."), r[1]);
        assertEquals("2", capture(false)[0], "no experiment named: the list, and exit code 2");
    }
}
