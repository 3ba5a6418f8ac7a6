package org.vaelab.experiment;

/**
 * The i-th (1-based) of n slices of an experiment's runs: run k (0-based, in plan order) belongs to slice
 * {@code k mod n + 1}, so slices get similar mixes of configurations.
 *
 * @param index i, 1 ≤ i ≤ n
 * @param count n ≥ 1
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 1 || index > count)
            throw new IllegalArgumentException("-Dshard=" + index + "/" + count + " is not valid: expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
    }

    /** Whether run {@code runIndex} (0-based, in plan order) is in this slice. */
    public boolean includes(int runIndex) {
        return runIndex % count == index - 1;
    }

    /** Parses {@code i/n}; the message of a bad value names it and the form expected. */
    public static Shard parse(String s) {
        String[] parts = s.trim().split("/");
        try {
            if (parts.length == 2) return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("-Dshard=" + s + " is not valid: expected i/n with 1 ≤ i ≤ n, e.g. 2/8");
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
