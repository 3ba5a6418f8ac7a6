package org.vaelab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vaelab.experiments.Bench;
import org.vaelab.experiments.MetricsCheck;
import org.vaelab.experiments.Quickstart;
import org.vaelab.experiments.WeightingShootout;

/** The experiments {@code -Dexperiment=NAME} can run, by name, in listing order. */
public final class ExperimentRegistry {

    private final Map<String, Experiment> byName = new LinkedHashMap<>();

    public ExperimentRegistry(List<Experiment> experiments) {
        for (Experiment e : experiments) {
            if (byName.put(e.name(), e) != null)
                throw new IllegalArgumentException("two experiments are named '" + e.name() + "'");
        }
    }

    /** Every experiment in {@code experiments/}. */
    public static ExperimentRegistry standard() {
        return new ExperimentRegistry(List.of(new Quickstart(), new WeightingShootout(), new MetricsCheck(), new Bench()));
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
