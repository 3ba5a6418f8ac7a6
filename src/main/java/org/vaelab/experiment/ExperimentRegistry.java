package org.vaelab.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

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
        int width = byName.keySet().stream().mapToInt(String::length).max().orElse(0);
        return byName.values().stream()
                .map(e -> String.format("  %-" + width + "s  %s", e.name(), e.summary()))
                .collect(Collectors.joining("\n"));
    }
}
