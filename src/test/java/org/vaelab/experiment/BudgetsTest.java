package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BudgetsTest {

    record B(String name, int epochs) {
    }

    private static final List<B> ALL = List.of(new B("default", 10), new B("smoke", 1), new B("long", 20));

    @Test
    void namedBlankOrUnknown() {
        assertEquals(ALL.get(2), Budgets.named("long", ALL, B::name));
        assertEquals(ALL.get(0), Budgets.named(null, ALL, B::name), "no -Dbudget: the default, listed first");
        assertEquals(ALL.get(0), Budgets.named(" ", ALL, B::name));
        var e = assertThrows(IllegalArgumentException.class, () -> Budgets.named("huge", ALL, B::name));
        assertEquals("-Dbudget=huge is not valid: expected one of default, smoke, long", e.getMessage());
    }
}
