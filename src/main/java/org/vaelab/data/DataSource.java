package org.vaelab.data;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One built-in data set of {@link DataSources}: everything about it in one entry, so that adding a data set is adding
 * one entry (and its loader) to {@link DataSources#builtIn()}, which gives it its name, its line in
 * {@code -Dvaelab.dataset} and its checksums.
 *
 * @param name        the name experiments and {@code -Dvaelab.dataset=NAME} use, e.g. {@code mnist-digits}
 * @param description one line: what the images are, their size and the train / test counts
 * @param origin      where the files come from and how to get (or restore) them; loaders repeat it in their errors
 * @param pins        the SHA-256 every file (or, for generated data, every part) must have, by file or part name;
 *                    the loader checks them on every load
 * @param loader      loads one part; throws {@link DataException} naming the file and the fix when it cannot
 */
public record DataSource(String name, String description, String origin, Map<String, String> pins,
                         Function<Split, ImageDataset> loader) {

    public DataSource {
        if (name == null || name.isBlank() || name.contains(":"))
            throw new IllegalArgumentException("a data set name must be non-blank and contain no ':' (which marks a"
                    + " user data spec such as npy:FILE), got '" + name + "'");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(origin, "origin");
        pins = Map.copyOf(pins);
        Objects.requireNonNull(loader, "loader");
    }

    /** Loads the given part of the data set. */
    public ImageDataset load(Split split) {
        return loader.apply(split);
    }
}
