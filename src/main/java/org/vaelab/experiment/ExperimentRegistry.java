package org.vaelab.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.vaelab.provenance.Json;

/**
 * The experiments {@code -Dexperiment=NAME} can run, by name, in listing order.
 *
 * <p>The standard ones are found with {@link ServiceLoader}: each class in {@code experiments/} is named on a line of
 * {@code src/main/resources/META-INF/services/org.vaelab.experiment.Experiment}. This package therefore never
 * imports the experiments, which import it; a new experiment is its own file and that one line.
 */
public final class ExperimentRegistry {

    private final Map<String, Experiment> byName = new LinkedHashMap<>();

    /**
     * @param experiments the experiments in listing order
     * @throws IllegalArgumentException if two have the same name
     */
    public ExperimentRegistry(List<Experiment> experiments) {
        for (Experiment e : experiments) {
            if (byName.put(e.name(), e) != null)
                throw new IllegalArgumentException("two experiments are named '" + e.name() + "'");
        }
    }

    /**
     * Every registered experiment, ordered by {@link Experiment#listingOrder()} and then by name.
     *
     * @throws java.util.ServiceConfigurationError if a registered class is missing or cannot be instantiated
     */
    public static ExperimentRegistry standard() {
        List<Experiment> found = new ArrayList<>();
        // The loader that loaded Experiment also sees the experiments (one class path); the thread's context loader
        // need not, e.g. under exec:java.
        ServiceLoader.load(Experiment.class, Experiment.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(Experiment::listingOrder).thenComparing(Experiment::name));
        return new ExperimentRegistry(found);
    }

    public List<Experiment> all() {
        return List.copyOf(byName.values());
    }

    /** The named experiment, or an exception whose message lists the known ones. */
    public Experiment get(String name) {
        Experiment e = byName.get(name);
        if (e == null)
            throw new IllegalArgumentException("unknown experiment '" + name + "'. Known experiments:\n" + listing()
                    + "\nRun one with: mvn -q compile exec:java -Dexperiment=NAME");
        return e;
    }

    /** One line per experiment: name and summary. */
    public String listing() {
        return listing(null);
    }

    /**
     * One line per experiment: name, summary and, where {@code reportsRoot} holds its runs, how long they took to
     * train and evaluate there (measured, from their provenance, never typed into the code).
     */
    public String listing(Path reportsRoot) {
        int width = byName.keySet().stream().mapToInt(String::length).max().orElse(0);
        return byName.values().stream()
                .map(e -> String.format("  %-" + width + "s  %s%s", e.name(), e.summary(),
                        reportsRoot == null ? "" : measured(reportsRoot.resolve(e.name()).resolve("runs"))))
                .collect(Collectors.joining("\n"));
    }

    /** " (its N committed runs took M min to train and evaluate)", or "" if the folder holds no run records. */
    static String measured(Path runsDir) {
        if (!Files.isDirectory(runsDir)) return "";
        double seconds = 0;
        int runs = 0;
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path prov = d.resolve("provenance.json");
                if (d.getFileName().toString().startsWith(".") || !Files.isRegularFile(prov)) continue;
                JsonNode p = Json.MAPPER.readTree(prov.toFile());
                seconds += p.path("trainSeconds").asDouble() + p.path("evalSeconds").asDouble();
                runs++;
            }
        } catch (IOException e) {
            return "";
        }
        if (runs == 0) return "";
        String time = seconds < 90 ? Math.round(seconds) + " s" : Math.round(seconds / 60) + " min";
        return " (its " + runs + " runs in " + runsDir.getParent() + " took " + time + " to train and evaluate)";
    }
}
