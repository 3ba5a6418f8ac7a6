package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vaelab.train.Trainer;

/** An experiment that trains nothing is handed to its own {@code runStandalone}; the runner never trains. */
class CustomExperimentTest {

    @Test
    void runnerHandsCustomExperimentsTheirOwnRun() throws IOException {
        Experiment custom = new Experiment() {
            public String name() {
                return "check";
            }

            public String summary() {
                return "a check";
            }

            public String question() {
                return "?";
            }

            public List<Arm> arms() {
                return List.of();
            }

            @Override
            public Optional<Path> runStandalone(Overrides overrides, PrintStream out) {
                out.println("custom run");
                return Optional.of(Path.of(overrides.reportsDir(), name(), "report.md"));
            }
        };
        Trainer noTraining = new Trainer((c, seed) -> {
            throw new AssertionError("a custom experiment must not train");
        });
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Path report = new ExperimentRunner(new PrintStream(buf, true, StandardCharsets.UTF_8), noTraining)
                .run(custom, Overrides.none()).report();
        assertEquals(Path.of("reports", "check", "report.md"), report);
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("custom run"));
    }

    @Test
    void metricsCheckIsRegisteredAsCustom() {
        Experiment e = ExperimentRegistry.standard().get("metrics-check");
        assertTrue(e.arms().isEmpty(), "metrics-check trains nothing: it runs standalone");
    }
}
