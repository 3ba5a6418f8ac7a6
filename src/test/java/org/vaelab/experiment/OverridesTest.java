package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.vaelab.train.RunConfig;

/** The one parser of the command line: unknown keys, ranges, and options an experiment does not use. */
class OverridesTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) p.setProperty(keyValues[i], keyValues[i + 1]);
        return p;
    }

    private static String refused(String... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> Overrides.from(props(keyValues))).getMessage();
    }

    private static String refusedBy(String experiment, String... keyValues) {
        Overrides o = Overrides.from(props(keyValues));
        Experiment e = ExperimentRegistry.standard().get(experiment);
        return assertThrows(IllegalArgumentException.class, () -> o.configure(e)).getMessage();
    }

    @Test
    void aTypoNamesTheKeyAndValueAndTheOptionMeant() {
        assertEquals("-Depoch=5 is not a vaelab option: did you mean -Depochs?", refused("epoch", "5"));
        assertTrue(refused("IWK", "5").endsWith("did you mean -DiwK?"), "case");
        assertTrue(refused("sedes", "3").endsWith("did you mean -Dseeds?"), "two edits");
        assertTrue(refused("verifySamples", "3").endsWith("did you mean -DverifySample?"), "prefix");
        assertTrue(refused("xmx", "4g").endsWith("did you mean -Dvaelab.xmx?"), "vaelab. left out");
        assertTrue(refused("vaelab.report", "out").endsWith("did you mean -Dvaelab.reports?"));
        assertTrue(refused("vaelab.seeds", "3").endsWith("did you mean -Dseeds?"), "vaelab. added");
    }

    @Test
    void anUnknownKeyFarFromEveryOptionListsThemAll() {
        String m = refused("foo", "bar");
        assertTrue(m.startsWith("-Dfoo=bar is not a vaelab option: the options are "), m);
        for (String key : Overrides.KEYS) assertTrue(m.contains("-D" + key), key + " missing from: " + m);
        assertFalse(m.contains("did you mean"), m);
        assertFalse(m.contains("\n"), "one line");
        assertTrue(refused("vaelab.colour", "red").contains("the options are"), "vaelab.* keys are ours too");
    }

    @Test
    void keysOfTheJvmMavenAndLibrariesAreNotOurs() {
        Overrides o = Overrides.from(props("java.io.tmpdir", "/tmp", "maven.repo.local", "/m2", "org.slf4j.simpleLogger.x", "y",
                "org.bytedeco.javacpp.maxbytes", "1G", "exec.args", "-x", "skipTests", "true", "test", "MainTest",
                "argLine", "-Xmx1g", "basedir", "/work", "seeds", "3"));
        assertEquals(3, o.seeds());
        assertEquals(Map.of("seeds", "3"), o.given(), "only vaelab's options are recorded as given");
    }

    @Test
    void rangesAreStatedWithTheirMeaningAndLimit() {
        assertEquals("-DiwK=-1 is not valid: expected a whole number from 0 to 2147483647 (0 = off)", refused("iwK", "-1"));
        assertEquals("-DtrainLimit=-5 is not valid: expected a whole number from 0 to 2147483647 (0 = all images)",
                refused("trainLimit", "-5"));
        assertEquals("-Depochs=99999999999 is not valid: expected a whole number from 1 to 2147483647",
                refused("epochs", "99999999999"));
        assertEquals("-Dbatch=99999999999999999999999 is not valid: expected a whole number from 1 to 2147483647",
                refused("batch", "99999999999999999999999"));
        assertTrue(refused("verifySample", "0").contains("from 1 to 2147483647"));
        Overrides o = Overrides.from(props("iwK", "0", "testLimit", "0", "epochs", " 2147483647 "));
        assertEquals(0, o.iwK());
        assertEquals(0, o.testLimit());
        assertEquals(Integer.MAX_VALUE, o.epochs());
    }

    @Test
    void pruneIsABooleanOffByDefault() {
        assertFalse(Overrides.from(props()).prune());
        assertFalse(Overrides.none().prune());
        assertTrue(Overrides.from(props("prune", "true")).prune());
        assertTrue(Overrides.from(props("prune", "")).prune(), "-Dprune alone means true");
        assertFalse(Overrides.from(props("prune", "FALSE")).prune());
        assertEquals("-Dprune=yes is not valid: expected true or false", refused("prune", "yes"));
    }

    @Test
    void processSettingsAreParsedHereToo() {
        Launch defaults = Overrides.from(props()).launch();
        assertEquals(Launch.DEFAULTS, defaults);
        assertEquals("2g", defaults.xmx());
        Launch l = Overrides.from(props("vaelab.xmx", "4g", "vaelab.openblasCoreType", " Haswell ",
                "vaelab.verbose", "true", "vaelab.data", "/data", "vaelab.repo", "/repo")).launch();
        assertEquals(new Launch("4g", "Haswell", true), l);
        assertNull(Overrides.from(props("vaelab.openblasCoreType", " ")).launch().openblasCoreType(), "blank: vaelab chooses");
        assertEquals("-Dvaelab.xmx=4 is not valid: expected a heap size with its unit, e.g. 4g or 3072m", refused("vaelab.xmx", "4"));
        assertEquals("-Dvaelab.verbose=yes is not valid: expected true or false", refused("vaelab.verbose", "yes"));
        assertEquals("quickstart", Overrides.from(props("experiment", " quickstart")).experiment());
        assertEquals("", Overrides.from(props()).experiment());
    }

    /** -Dworkers is a launch setting: parsed and checked here, but no part of the plan, its folder or its command. */
    @Test
    void workersIsALaunchSettingThatChangesNoRun() {
        assertNull(Overrides.from(props()).launch().workers(), "absent: the launcher's default");
        Overrides two = Overrides.from(props("workers", "2", "experiment", "quickstart"));
        assertEquals(2, two.launch().workers());
        assertEquals(1, two.launch().worker(), "the launcher is worker 1");
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        assertEquals(Overrides.none().runs(quickstart), two.runs(two.configure(quickstart)));
        assertEquals("", two.asFlags(), "not in the report's command");
        ReportFolder folder = ReportFolder.of(java.nio.file.Path.of("reports"), quickstart, two);
        assertFalse(folder.variant(), folder.toString());
        assertEquals("-Dworkers=0 is not valid: expected a whole number from 1 to 2147483647 (runs trained at once)",
                refused("workers", "0"));
        assertEquals("-Dworker=2 is not a vaelab option: did you mean -Dworkers?", refused("worker", "2"));
        assertTrue(refusedBy("bench", "workers", "2").startsWith("-Dworkers=2 is not used by bench"), "not a sweep");
    }

    @Test
    void anOptionTheExperimentDoesNotUseIsRefusedNamingWhatItAccepts() {
        assertEquals("-Dseeds=3 is not used by bench, which accepts -Depochs, -DtrainLimit (and the -Dvaelab.* settings); drop it",
                refusedBy("bench", "seeds", "3"));
        assertTrue(refusedBy("bench", "budget", "default").contains("not used by bench"));
        String m = refusedBy("metrics-check", "prune", "true");
        assertTrue(m.startsWith("-Dprune=true is not used by metrics-check, which takes no options"), m);
        // Explicitly off is still refused: the user believes it matters here, and it cannot.
        assertTrue(refusedBy("metrics-check", "fresh", "false").contains("-Dfresh=false"));

        Experiment bench = ExperimentRegistry.standard().get("bench");
        assertSame(bench, Overrides.from(props("epochs", "2", "trainLimit", "100", "vaelab.reports", "/tmp/r")).configure(bench));
    }

    @Test
    void aBudgetMustBeOneTheExperimentDefines() {
        assertEquals("-Dbudget=huge is not valid for quickstart: it defines no budgets besides default",
                refusedBy("quickstart", "budget", "huge"));
        assertEquals("-Dbudget=huge is not valid for weighting-shootout: expected one of default, smoke, long",
                refusedBy("weighting-shootout", "budget", "huge"));
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        assertSame(quickstart, Overrides.from(props("budget", "default")).configure(quickstart));
    }

    @Test
    void verificationSettingsNeedVerify() {
        assertEquals("-Dtolerance=1e-3 applies only to verification: add -Dverify=true or drop it",
                refusedBy("quickstart", "tolerance", "1e-3"));
        assertTrue(refusedBy("quickstart", "verifySample", "2").startsWith("-DverifySample=2 applies only"));
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        Overrides o = Overrides.from(props("verify", "true", "verifySample", "2", "tolerance", "1e-3"));
        assertSame(quickstart, o.configure(quickstart));
        assertEquals(1e-3, o.tolerance());
    }

    @Test
    void everyOptionOfASweepReachesItsRuns() {
        Overrides o = Overrides.from(props("experiment", "quickstart", "seeds", "1", "epochs", "2", "batch", "50",
                "lr", "0.01", "trainLimit", "300", "testLimit", "100", "iwK", "10", "fresh", "true", "shard", "1/1",
                "prune", "true", "budget", "default"));
        Experiment quickstart = o.configure(ExperimentRegistry.standard().get(o.experiment()));
        RunConfig c = o.runs(quickstart).get(0);
        assertEquals(2, c.train().epochs());
        assertEquals(50, c.train().batchSize());
        assertEquals(0.01, c.train().learningRate());
        assertEquals(300, c.data().trainLimit());
        assertEquals(100, c.data().testLimit());
        assertEquals(10, c.iwSamples());
        assertEquals(quickstart.arms().size(), o.runs(quickstart).size());
    }

    @Test
    void aDataSetOptionReplacesTheDataOfEveryArmAndMakesAVariant() {
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        Overrides o = Overrides.from(props("vaelab.dataset", " npy:/data/mine.npy ", "vaelab.reports", "/tmp/r"));
        assertEquals("npy:/data/mine.npy", o.dataset());
        assertSame(quickstart, o.configure(quickstart), "every sweep accepts it");
        for (RunConfig c : o.runs(quickstart)) {
            assertEquals("npy:/data/mine.npy", c.data().dataset());
            assertEquals(quickstart.arms().get(0).data().binarization(), c.data().binarization(), "the rest is kept");
        }
        assertEquals(" -Dvaelab.dataset=npy:/data/mine.npy", o.asFlags());
        ReportFolder folder = ReportFolder.of(java.nio.file.Path.of("/tmp/r"), quickstart, o);
        assertTrue(folder.variant(), "another data set is another plan");
        assertEquals("quickstart.vaelab.dataset-npy_data_mine.npy", folder.dir().getFileName().toString());

        assertEquals("fashion-mnist", Overrides.from(props("vaelab.dataset", "fashion-mnist")).runs(quickstart).get(0)
                .data().dataset(), "a built-in name works too");
        assertNull(Overrides.from(props()).dataset());
        assertTrue(Overrides.KEYS.contains("vaelab.dataset") && Overrides.EXPERIMENT_KEYS.contains("vaelab.dataset"));
        assertTrue(refused("vaelab.datset", "x").endsWith("did you mean -Dvaelab.dataset?"));
    }

    @Test
    void aBadDataSetOptionNamesTheValueAndTheSyntax() {
        String m = refused("vaelab.dataset", "mnist");
        assertTrue(m.startsWith("-Dvaelab.dataset=mnist is not valid: expected a built-in data set (fashion-mnist,"
                + " mnist-digits, sprites) or your own files as npy:TRAIN.npy[,TEST.npy]"), m);
        assertTrue(refused("vaelab.dataset", "hdf5:/x.h5").startsWith("-Dvaelab.dataset=hdf5:/x.h5 is not valid: expected a"
                + " built-in data set"));
        assertTrue(refused("vaelab.dataset", "npy:a,b,c").contains("paths without commas"));
        assertTrue(refused("vaelab.dataset", "").contains("-Dvaelab.dataset= is not valid"));
        // A standalone experiment that reads its own data refuses it rather than ignore it.
        assertTrue(refusedBy("bench", "vaelab.dataset", "npy:/x.npy").startsWith("-Dvaelab.dataset=npy:/x.npy is not used"
                + " by bench"));
    }
}
