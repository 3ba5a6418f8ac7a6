package org.vaelab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Looks up an experiment's named compute budget ({@code -Dbudget=NAME}, see {@link Experiment#budgets()}). Each
 * experiment keeps its own budget record, since what a budget fixes differs (epochs, data limits, seeds, epochs per
 * data set); this is the one lookup they share, with the one error message.
 */
public final class Budgets {

    private Budgets() {
    }

    /**
     * The budget called {@code value}; null or blank means the first, the default.
     *
     * @param budgets the experiment's budgets, the default first
     * @param name    a budget's name, as given with {@code -Dbudget=}
     * @throws IllegalArgumentException naming the value and every budget there is
     */
    public static <B> B named(String value, List<B> budgets, Function<B, String> name) {
        if (value == null || value.isBlank()) return budgets.get(0);
        List<String> names = new ArrayList<>();
        for (B b : budgets) {
            if (name.apply(b).equals(value)) return b;
            names.add(name.apply(b));
        }
        throw new IllegalArgumentException("-Dbudget=" + value + " is not valid: expected one of " + String.join(", ", names));
    }
}
