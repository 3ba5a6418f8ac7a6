package org.vaelab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.vaelab.cpu.CpuAllocation;

/** Worker counts, their checks, and the order in which each worker tries the runs. */
class LaunchTest {

    private static final CpuAllocation TWO = new CpuAllocation(2, Map.of("availableProcessors", 2));
    private static final Instant T = Instant.parse("2026-12-02T00:00:00Z");

    private static Launch worker(int k, int n) {
        return Launch.DEFAULTS.asWorker(k, n, T);
    }

    @Test
    void oneWorkerTakesTheRunsInPlanOrder() {
        assertEquals(List.of(0, 1, 2, 3, 5), Launch.DEFAULTS.order(List.of(0, 1, 2, 3, 5)));
        assertEquals(List.of(0, 1, 2), worker(1, 1).order(List.of(0, 1, 2)));
        assertEquals(List.of(), worker(2, 2).order(List.of()));
    }

    /** Each worker starts on its own slice, then takes the others' in turn; every worker's order has every run once. */
    @Test
    void workersStartOnDifferentRunsAndEachOrderCoversThemAll() {
        List<Integer> todo = List.of(0, 1, 2, 3, 4, 5, 6);
        assertEquals(List.of(0, 2, 4, 6, 1, 3, 5), worker(1, 2).order(todo));
        assertEquals(List.of(1, 3, 5, 0, 2, 4, 6), worker(2, 2).order(todo));
        assertEquals(List.of(2, 5, 0, 3, 6, 1, 4), worker(3, 3).order(todo));
        List<Integer> firsts = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            List<Integer> o = worker(k, 3).order(todo);
            assertEquals(new TreeSet<>(todo), new TreeSet<>(o));
            assertEquals(todo.size(), o.size());
            firsts.add(o.get(0));
        }
        assertEquals(List.of(0, 1, 2), firsts);
        // Runs already finished are not in todo: the slices are cut from what is left, so the work stays even.
        assertEquals(List.of(7, 11, 3, 9), worker(2, 2).order(List.of(3, 7, 9, 11)));
    }

    @Test
    void theFirstWorkerReportsAndTheOthersHelp() {
        assertFalse(Launch.DEFAULTS.helper());
        assertFalse(worker(1, 3).helper());
        assertTrue(worker(2, 3).helper());
        assertEquals(T, worker(2, 3).launched());
        assertThrows(IllegalArgumentException.class, () -> worker(3, 2));
        assertThrows(IllegalArgumentException.class, () -> worker(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Launch("2g", null, false, 0, 1, null));
    }

    @Test
    void workerCountIsCheckedAgainstTheAllocationAndTheExperiment() {
        Experiment quickstart = ExperimentRegistry.standard().get("quickstart");
        Experiment bench = ExperimentRegistry.standard().get("bench");
        Launch two = new Launch("2g", null, false, 2, 1, null);
        assertEquals(2, two.workerCount(quickstart, false, TWO));
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> new Launch("2g", null, false, 3, 1, null).workerCount(quickstart, false, TWO));
        assertEquals("-Dworkers=3 is not valid: this process may use 2 processors and each worker needs one, so expected 1 to 2",
                tooMany.getMessage());
        var slurm = new CpuAllocation(1, Map.of("availableProcessors", 2, "SLURM_CPUS_PER_TASK", 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> two.workerCount(quickstart, false, slurm))
                .getMessage().contains("SLURM_CPUS_PER_TASK=1"), "the message names what limits the processors");
        assertEquals("-Dworkers=2 does not apply to -Dverify=true, which re-runs the runs in one process: drop -Dworkers",
                assertThrows(IllegalArgumentException.class, () -> two.workerCount(quickstart, true, TWO)).getMessage());
        assertEquals(1, Launch.DEFAULTS.workerCount(bench, false, TWO), "not a sweep: one process");
        assertEquals(1, Launch.DEFAULTS.workerCount(quickstart, true, TWO), "verification: one process");
        assertEquals(Launch.defaultWorkers(TWO, 2L << 30), Launch.DEFAULTS.workerCount(quickstart, false, TWO));
        assertEquals(1, Launch.defaultWorkers(new CpuAllocation(1, Map.of("availableProcessors", 1)), 2L << 30),
                "one processor, one worker");
    }

    /** One worker per processor while memory holds a heap and 1 GiB of arrays for each; never none. */
    @Test
    void defaultWorkersFollowProcessorsAndMemory() {
        long gib = 1L << 30;
        assertEquals(2, Launch.defaultWorkers(2, 24 * gib, 2 * gib));
        assertEquals(8, Launch.defaultWorkers(64, 24 * gib, 2 * gib), "24 GiB hold eight 2 GiB heaps with 1 GiB each");
        assertEquals(4, Launch.defaultWorkers(64, 24 * gib, 5 * gib), "a larger -Dvaelab.xmx, fewer workers");
        assertEquals(1, Launch.defaultWorkers(2, 2 * gib, 2 * gib), "memory for less than one: still one");
        assertEquals(1, Launch.defaultWorkers(1, 24 * gib, 2 * gib));
        assertEquals(2L << 30, Launch.DEFAULTS.heapBytes());
        assertEquals(3072L << 20, new Launch("3072M", null, false).heapBytes());
        assertEquals(512L << 10, new Launch("512k", null, false).heapBytes());
    }
}
