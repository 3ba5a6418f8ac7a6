package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vaelab.train.RunConfig;

class ExperimentRegistryTest {

    @Test
    void unknownExperimentListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExperimentRegistry.standard().get("quikstart"));
        assertTrue(e.getMessage().contains("unknown experiment 'quikstart'"), e.getMessage());
        assertTrue(e.getMessage().contains("quickstart"), e.getMessage());
    }

    @Test
    void listingHasOneLinePerExperiment() {
        var registry = ExperimentRegistry.standard();
        assertEquals(registry.all().size(), registry.listing().lines().count());
        assertEquals("quickstart", registry.get("quickstart").name());
    }

    @Test
    void standardExperimentsAreListedQuickstartFirst() {
        assertEquals(List.of("quickstart", "loss-conventions", "weighting-shootout", "claims", "metrics-check", "translate", "bench"),
                ExperimentRegistry.standard().all().stream().map(Experiment::name).toList());
    }

    /** A class in experiments/ that is not named in the services file would silently never run. */
    @Test
    void everyExperimentClassIsRegistered() throws IOException {
        Pattern implementsExperiment = Pattern.compile("\\bclass\\s+(\\w+)\\s+implements\\s+Experiment\\b");
        Set<String> declared;
        try (Stream<Path> files = Files.list(Path.of("experiments/org/vaelab/experiments"))) {
            declared = files.map(ExperimentRegistryTest::read)
                    .flatMap(src -> implementsExperiment.matcher(src).results().map(m -> "org.vaelab.experiments." + m.group(1)))
                    .collect(Collectors.toSet());
        }
        Set<String> registered = ExperimentRegistry.standard().all().stream().map(e -> e.getClass().getName())
                .collect(Collectors.toSet());
        assertEquals(declared, registered, "register each class of experiments/ in"
                + " src/main/resources/META-INF/services/org.vaelab.experiment.Experiment");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void overridesApplyToEveryRunOfAnyExperiment() {
        Properties p = new Properties();
        p.setProperty("seeds", "3");
        p.setProperty("epochs", "5");
        p.setProperty("lr", "0.002");
        p.setProperty("iwK", "100");
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        List<RunConfig> runs = Overrides.from(p).runs(quickstart);
        assertEquals(quickstart.arms().size() * 3, runs.size());
        for (RunConfig c : runs) {
            assertEquals(5, c.train().epochs());
            assertEquals(0.002, c.train().learningRate());
            assertEquals(100, c.iwSamples());
        }
        assertEquals(List.of(1L, 2L, 3L), runs.stream().limit(3).map(RunConfig::seed).toList());
        assertEquals(" -Dseeds=3 -Depochs=5 -Dlr=0.002 -DiwK=100", Overrides.from(p).asFlags());
    }

    @Test
    void badOverrideNamesPropertyValueAndWhatIsAllowed() {
        Properties p = new Properties();
        p.setProperty("seeds", "two");
        var e = assertThrows(IllegalArgumentException.class, () -> Overrides.from(p));
        assertEquals("-Dseeds=two is not valid: expected a whole number from 1 to 2147483647", e.getMessage());
        p.setProperty("seeds", "0");
        e = assertThrows(IllegalArgumentException.class, () -> Overrides.from(p));
        assertTrue(e.getMessage().contains("-Dseeds=0") && e.getMessage().contains("from 1 to"), e.getMessage());
        Properties q = new Properties();
        q.setProperty("lr", "5");
        e = assertThrows(IllegalArgumentException.class, () -> Overrides.from(q));
        assertTrue(e.getMessage().contains("-Dlr=5"), e.getMessage());
    }

    @Test
    void absentOverridesKeepTheExperimentsSettings() {
        Overrides o = Overrides.from(new Properties());
        assertNull(o.epochs());
        assertEquals("reports", o.reportsDir());
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        assertEquals(quickstart.arms().get(0).train(), o.runs(quickstart).get(0).train());
    }

    @Test
    void shardsCoverEveryRunExactlyOnce() {
        Properties p = new Properties();
        p.setProperty("shard", "2/3");
        Shard s = Overrides.from(p).shard();
        assertEquals(new Shard(2, 3), s);
        int covered = 0;
        for (int run = 0; run < 12; run++) {
            int owners = 0;
            for (int i = 1; i <= 3; i++) if (new Shard(i, 3).includes(run)) owners++;
            assertEquals(1, owners);
            if (s.includes(run)) covered++;
        }
        assertEquals(4, covered);
        for (String bad : new String[] {"3/2", "0/4", "a/b", "2"}) {
            Properties q = new Properties();
            q.setProperty("shard", bad);
            var e = assertThrows(IllegalArgumentException.class, () -> Overrides.from(q));
            assertTrue(e.getMessage().contains("-Dshard=" + bad) && e.getMessage().contains("i/n"), e.getMessage());
        }
    }
}
