package org.vaelab;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends a test run with one line, {@code vaelab tests: N passed, N failed, N skipped}: with {@code mvn -q test}
 * Surefire prints nothing when everything passes, so without it a user cannot tell how much ran. Registered for the
 * JUnit Platform launcher in {@code src/test/resources/META-INF/services}.
 */
public final class TestSummaryListener implements TestExecutionListener {

    private final AtomicLong passed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        passed.set(0);
        failed.set(0);
        skipped.set(0);
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) skipped.incrementAndGet();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (!id.isTest()) return;
        switch (result.getStatus()) {
            case SUCCESSFUL -> passed.incrementAndGet();
            case ABORTED -> skipped.incrementAndGet(); // an assumption that did not hold, e.g. no Fashion-MNIST
            case FAILED -> failed.incrementAndGet();
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (passed.get() + failed.get() + skipped.get() == 0) return;
        System.out.printf("vaelab tests: %d passed, %d failed, %d skipped%n", passed.get(), failed.get(), skipped.get());
    }
}
