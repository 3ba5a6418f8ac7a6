package org.vaelab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tests run under the thread environment experiments get from the launcher ({@link Main#childEnvironment}),
 * set for Surefire in pom.xml: if one changes without the other, this fails, so tests never measure settings users do
 * not have. The core count and the core type depend on the machine and are left out.
 */
class ThreadEnvironmentTest {

    private static final Set<String> MACHINE_DEPENDENT = Set.of("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE", "VAELAB_CHILD");

    @Test
    void surefireRunsTestsWithTheLaunchersThreadSettings() {
        Map<String, String> launcher = new HashMap<>();
        Main.childEnvironment(launcher, Runtime.getRuntime().availableProcessors(), null);
        for (var e : launcher.entrySet()) {
            if (MACHINE_DEPENDENT.contains(e.getKey())) continue;
            assertEquals(e.getValue(), System.getenv(e.getKey()), e.getKey() + ": pom.xml's Surefire environment and"
                    + " Main.childEnvironment disagree");
        }
    }
}
