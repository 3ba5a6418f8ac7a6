package org.vaelab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code reports/README.md}: one line per report with its title and one-line finding, rebuilt whenever a report is
 * written. A report states its finding in an HTML comment, {@code <!-- finding: … -->}, which Markdown viewers hide.
 */
public final class ReportIndex {

    private static final Pattern FINDING = Pattern.compile("<!-- finding: (.*?) -->");
    private static final Pattern ITEM = Pattern.compile("<!-- finding-item: (.*?) -->");
    private static final List<String> REPORT_FILES = List.of("report.md", "bench.md");

    private ReportIndex() {
    }

    /** The comment line that carries a report's finding into the index. */
    public static String findingComment(String finding) {
        return "<!-- finding: " + clean(finding) + " -->\n";
    }

    /**
     * A comment line that adds one item under the report's finding in the index, e.g. one claim's verdict; a report
     * may carry any number, listed in the order they appear.
     */
    public static String itemComment(String item) {
        return "<!-- finding-item: " + clean(item) + " -->\n";
    }

    private static String clean(String text) {
        return text.replace("-->", "→").replace('\n', ' ').strip();
    }

    /**
     * Rebuilds {@code root/README.md} from the reports under {@code root}. Variants (folders named
     * {@code <experiment>.<overrides>}, see {@code org.vaelab.experiment.ReportFolder}) are listed apart from the
     * experiments' own reports; a named budget other than {@code smoke} counts as the experiment's own
     * ({@link #isVariant}). Runs under a lock, so that processes finishing different reports at once cannot
     * write an index that misses one of them.
     */
    public static Path update(Path root) throws IOException {
        StringBuilder own = new StringBuilder();
        StringBuilder variants = new StringBuilder();
        try (StoreLock held = StoreLock.acquire(root, "index")) {
            try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
                for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                    String folder = dir.getFileName().toString();
                    if (folder.startsWith(".")) continue;
                    for (String name : REPORT_FILES) {
                        Path f = dir.resolve(name);
                        if (!Files.isRegularFile(f)) continue;
                        String text = Files.readString(f);
                        String title = text.lines().filter(l -> l.startsWith("# ")).findFirst().map(l -> l.substring(2)).orElse(folder);
                        StringBuilder sb = isVariant(folder) ? variants : own;
                        sb.append("- [").append(title).append("](").append(folder).append('/').append(name).append(")");
                        finding(text).ifPresent(x -> sb.append("  \n  ").append(x));
                        sb.append('\n');
                        for (String item : items(text)) sb.append("  - ").append(item).append('\n');
                    }
                }
            }
            StringBuilder sb = new StringBuilder("# Reports\n\nEach folder holds one experiment's report, written by "
                    + "`mvn -q compile exec:java -Dexperiment=NAME`; the line under each link is the report's own one-line finding, "
                    + "computed from its runs.\n\n").append(own);
            if (variants.length() > 0)
                sb.append("\n## Variants\n\nReports of plans that differ from their experiment's own (written with overrides "
                        + "such as `-Depochs=1`; quick checks, not the experiments' results):\n\n").append(variants);
            Path index = root.resolve("README.md");
            AtomicFiles.writeString(index, sb.toString());
            return index;
        }
    }

    /**
     * Whether a report folder holds a variant rather than a result: any override makes one, except a named budget
     * alone ({@code <experiment>.budget-long}), which is one of the experiment's own plans; the {@code smoke}
     * budget is a quick check and stays a variant.
     */
    static boolean isVariant(String folder) {
        if (!folder.contains(".")) return false;
        return !folder.matches("[^.]+\\.budget-[A-Za-z0-9-]+") || folder.endsWith(".budget-smoke");
    }

    static List<String> items(String report) {
        Matcher m = ITEM.matcher(report);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static Optional<String> finding(String report) {
        Matcher m = FINDING.matcher(report);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
