package org.vaelab.data;

/** Which part of a dataset to load; each dataset in {@link DataSources} documents how it is split. */
public enum Split {
    /** Images the model is fitted on. */
    TRAIN,
    /** Held-out images, used only for evaluation. */
    TEST;

    /** Lower-case name used in dataset names, e.g. {@code fashion-mnist/train}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
