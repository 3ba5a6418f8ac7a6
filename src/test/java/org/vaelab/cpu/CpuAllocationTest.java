package org.vaelab.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allocation from synthetic environments and fake {@code /proc} and cgroup files, against hand-worked answers. */
class CpuAllocationTest {

    private static Map<String, Integer> bounds(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
        return m;
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path p = root.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void withoutLimitsItIsWhatTheJvmSees(@TempDir Path empty) {
        CpuAllocation a = CpuAllocation.of(Map.of("PATH", "/bin"), 2, empty);
        assertEquals(new CpuAllocation(2, bounds("availableProcessors", 2)), a);
        assertEquals("2", a.describe());
    }

    /** The case of the issue: Slurm with task/none gives a 1-CPU task the whole node's affinity mask. */
    @Test
    void slurmCpusPerTaskLimitsAOneCpuTaskOnATwoCoreNode(@TempDir Path empty) {
        CpuAllocation a = CpuAllocation.of(Map.of("SLURM_CPUS_PER_TASK", "1", "SLURM_CPUS_ON_NODE", "2"), 2, empty);
        assertEquals(1, a.cpus());
        assertEquals("1 (availableProcessors=2, SLURM_CPUS_PER_TASK=1, SLURM_CPUS_ON_NODE=2)", a.describe());
        assertEquals(4, CpuAllocation.of(Map.of("SLURM_CPUS_PER_TASK", "8"), 4, empty).cpus(), "never more than the JVM sees");
        assertEquals(3, CpuAllocation.of(Map.of("SLURM_CPUS_ON_NODE", "3"), 64, empty).cpus());
    }

    @Test
    void garbledValuesAreIgnored(@TempDir Path empty) {
        for (String bad : new String[] {"", " ", "0", "-1", "two", "1.5", "2(x3)", "99999999999"})
            assertEquals(bounds("availableProcessors", 4),
                    CpuAllocation.of(Map.of("SLURM_CPUS_PER_TASK", bad), 4, empty).bounds(), "'" + bad + "'");
        assertEquals(3, CpuAllocation.of(Map.of("SLURM_CPUS_PER_TASK", " 3 "), 4, empty).cpus(), "spaces around a number");
        assertEquals(1, CpuAllocation.of(Map.of(), 0, empty).cpus(), "at least one");
    }

    @Test
    void aWorkersShareIsTheLastBound(@TempDir Path empty) {
        CpuAllocation a = CpuAllocation.of(Map.of(CpuAllocation.WORKER_CPUS, "1"), 2, empty);
        assertEquals(1, a.cpus());
        assertEquals("1 (availableProcessors=2, VAELAB_WORKER_CPUS=1)", a.describe());
    }

    /** cgroup v2 as a Slurm job step sees it: the quota is on the job's group, two levels above the process's. */
    @Test
    void cgroupV2QuotaOnAParentGroupCounts(@TempDir Path root) throws IOException {
        write(root, "proc/self/cgroup", "0::/system.slice/slurmstepd.scope/job_7/step_0/user/task_0\n");
        write(root, "proc/self/mountinfo", """
                25 30 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:14 - proc proc rw
                27 30 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate
                """);
        String job = "sys/fs/cgroup/system.slice/slurmstepd.scope/job_7/";
        write(root, job + "cpu.max", "150000 100000\n");               // 1.5 processors: rounded up to 2
        write(root, job + "step_0/user/task_0/cpu.max", "max 100000\n"); // no quota of its own
        write(root, "sys/fs/cgroup/cpu.max", "max 100000\n");
        CpuAllocation a = CpuAllocation.of(Map.of(), 8, root);
        assertEquals(bounds("availableProcessors", 8, "cgroup cpu.max", 2), a.bounds());
        assertEquals(2, a.cpus());

        write(root, "sys/fs/cgroup/system.slice/cpu.max", "100000 100000\n"); // a tighter one further up
        assertEquals(1, CpuAllocation.of(Map.of(), 8, root).cpus());
    }

    /** cgroup v1 with cpu and cpuacct mounted together, as Docker sets it up; -1 means no quota. */
    @Test
    void cgroupV1QuotaIsReadFromTheCpuHierarchy(@TempDir Path root) throws IOException {
        write(root, "proc/self/cgroup", """
                12:memory:/docker/abc
                4:cpu,cpuacct:/docker/abc
                0::/
                """);
        write(root, "proc/self/mountinfo", """
                31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
                34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """);
        write(root, "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "50000\n");
        write(root, "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
        write(root, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
        write(root, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        // The v2 mount of a hybrid system has no cpu controller, so no cpu.max: no bound from it.
        assertEquals(bounds("availableProcessors", 2, "cgroup cpu.cfs_quota_us", 1), CpuAllocation.of(Map.of(), 2, root).bounds());

        write(root, "sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "-1\n");
        assertEquals(bounds("availableProcessors", 2), CpuAllocation.of(Map.of(), 2, root).bounds(), "no quota anywhere");
    }

    /** Inside a container the mount shows only the container's group: its path is relative to the mount's root. */
    @Test
    void aMountOfPartOfTheHierarchyIsReadRelativeToItsRoot(@TempDir Path root) throws IOException {
        write(root, "proc/self/cgroup", "0::/kubepods/pod1/ctr/app\n");
        write(root, "proc/self/mountinfo", "27 30 0:25 /kubepods/pod1/ctr /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n");
        write(root, "sys/fs/cgroup/cpu.max", "300000 100000\n");
        write(root, "sys/fs/cgroup/app/cpu.max", "max 100000\n");
        assertEquals(3, CpuAllocation.of(Map.of(), 16, root).cpus());

        write(root, "proc/self/cgroup", "0::/elsewhere\n");
        assertEquals(3, CpuAllocation.of(Map.of(), 16, root).cpus(), "a group outside the mount: its top is read");
    }

    @Test
    void quotaInProcessorsIsRoundedUp() {
        assertEquals(OptionalInt.of(2), CgroupQuota.processors("150000", "100000"));
        assertEquals(OptionalInt.of(1), CgroupQuota.processors("100000", "100000"));
        assertEquals(OptionalInt.of(1), CgroupQuota.processors("1000", "100000"));
        assertEquals(OptionalInt.of(4), CgroupQuota.processors("400000", "100000"));
        assertEquals(OptionalInt.empty(), CgroupQuota.processors("max", "100000"));
        assertEquals(OptionalInt.empty(), CgroupQuota.processors("-1", "100000"));
        assertEquals(OptionalInt.empty(), CgroupQuota.processors("100000", "0"));
    }

    @Test
    void sharesAddUpToTheAllocation() {
        CpuAllocation two = new CpuAllocation(2, bounds("availableProcessors", 2));
        assertEquals(2, two.share(1, 1));
        assertEquals(1, two.share(1, 2));
        assertEquals(1, two.share(2, 2));
        CpuAllocation five = new CpuAllocation(5, bounds("availableProcessors", 5));
        assertEquals(2, five.share(1, 3));
        assertEquals(2, five.share(2, 3));
        assertEquals(1, five.share(3, 3));
        var e = assertThrows(IllegalArgumentException.class, () -> two.share(1, 3));
        assertEquals("3 workers cannot share 2 processors: expected 1 to 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> two.share(3, 2));
    }

    /** This machine: whatever the bounds, the count is one of them and the JVM's own is always among them. */
    @Test
    void thisProcessHasAnAllocation() {
        CpuAllocation a = CpuAllocation.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), a.bounds().get("availableProcessors"));
        assertTrue(a.bounds().containsValue(a.cpus()) && a.bounds().values().stream().allMatch(v -> v >= a.cpus()), a.describe());
    }
}
