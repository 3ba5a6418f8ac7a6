package org.vaelab.cpu;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The CPU quota of this process's cgroup and of every group above it, in processors ({@link CpuAllocation}).
 *
 * <p>Where the groups are: {@code /proc/self/cgroup} names the process's group in each hierarchy (the v2 line
 * {@code 0::/path}, a v1 line {@code 4:cpu,cpuacct:/path}), and {@code /proc/self/mountinfo} says where each hierarchy
 * is mounted and which part of it (a container sees its own group as the root of the mount). A group path outside
 * the mounted part is read at the mount's top, as the JVM does.
 */
final class CgroupQuota {

    private CgroupQuota() {
    }

    /** The quotas found under {@code root}, by source ({@code cgroup cpu.max}, {@code cgroup cpu.cfs_quota_us}). */
    static Map<String, Integer> read(Path root) {
        Map<String, Integer> found = new LinkedHashMap<>();
        String cgroup = CpuAllocation.read(root.resolve("proc/self/cgroup"));
        String mountinfo = CpuAllocation.read(root.resolve("proc/self/mountinfo"));
        if (cgroup == null || mountinfo == null) return found;
        String v2 = null, v1 = null;
        for (String line : cgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) v2 = f[2];
            else if (List.of(f[1].split(",")).contains("cpu")) v1 = f[2];
        }
        for (String line : mountinfo.split("\n")) {
            // Fields: id parent major:minor root mount-point options [optional fields] - type source super-options
            int dash = line.indexOf(" - ");
            if (dash < 0) continue;
            String[] mount = line.substring(0, dash).split(" ");
            String[] fs = line.substring(dash + 3).split(" ");
            if (mount.length < 5 || fs.length < 3) continue;
            if (fs[0].equals("cgroup2") && v2 != null) {
                lower(found, "cgroup cpu.max", walk(root, unescape(mount[3]), unescape(mount[4]), v2, CgroupQuota::v2));
            } else if (fs[0].equals("cgroup") && v1 != null && List.of(fs[2].split(",")).contains("cpu")) {
                lower(found, "cgroup cpu.cfs_quota_us", walk(root, unescape(mount[3]), unescape(mount[4]), v1, CgroupQuota::v1));
            }
        }
        return found;
    }

    private static void lower(Map<String, Integer> found, String source, OptionalInt quota) {
        if (quota.isPresent()) found.merge(source, quota.getAsInt(), Math::min);
    }

    /** The smallest quota from the process's group up to the top of the mount, or empty if none is set. */
    private static OptionalInt walk(Path root, String mountRoot, String mountPoint, String group,
                                    Function<Path, OptionalInt> quota) {
        String rel;
        if (mountRoot.equals("/")) rel = group;
        else if (group.equals(mountRoot) || group.startsWith(mountRoot + "/")) rel = group.substring(mountRoot.length());
        else rel = "/";
        Path top = root.resolve(mountPoint.replaceFirst("^/+", ""));
        Path dir = top.resolve(rel.replaceFirst("^/+", "")).normalize();
        if (!dir.startsWith(top)) return OptionalInt.empty();
        OptionalInt least = OptionalInt.empty();
        for (; dir != null && dir.startsWith(top); dir = dir.getParent()) {
            OptionalInt q = quota.apply(dir);
            if (q.isPresent() && (least.isEmpty() || q.getAsInt() < least.getAsInt())) least = q;
        }
        return least;
    }

    /** cgroup v2 {@code cpu.max}: {@code max 100000} (no quota) or {@code QUOTA PERIOD} in microseconds. */
    private static OptionalInt v2(Path dir) {
        String s = CpuAllocation.read(dir.resolve("cpu.max"));
        if (s == null) return OptionalInt.empty();
        String[] f = s.split("\\s+");
        return f.length == 2 ? processors(f[0], f[1]) : OptionalInt.empty();
    }

    /** cgroup v1 {@code cpu.cfs_quota_us} ({@code -1}: no quota) over {@code cpu.cfs_period_us}. */
    private static OptionalInt v1(Path dir) {
        String quota = CpuAllocation.read(dir.resolve("cpu.cfs_quota_us"));
        String period = CpuAllocation.read(dir.resolve("cpu.cfs_period_us"));
        return quota == null || period == null ? OptionalInt.empty() : processors(quota, period);
    }

    /** A quota over a period, in processors rounded up; empty unless both are positive whole numbers. */
    static OptionalInt processors(String quota, String period) {
        if (!quota.matches("\\d{1,18}") || !period.matches("\\d{1,18}")) return OptionalInt.empty();
        long q = Long.parseLong(quota), p = Long.parseLong(period);
        if (q <= 0 || p <= 0) return OptionalInt.empty();
        return OptionalInt.of((int) Math.min(Integer.MAX_VALUE, Math.max(1, (q + p - 1) / p)));
    }

    /** mountinfo writes a space, tab, newline or backslash in a path as an octal escape ({@code \040}). */
    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
