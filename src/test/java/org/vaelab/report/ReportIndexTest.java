package org.vaelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportIndexTest {

    private static void report(Path root, String folder, String title, String finding) throws IOException {
        Files.createDirectories(root.resolve(folder));
        Files.writeString(root.resolve(folder).resolve("report.md"),
                "# " + title + "\n" + ReportIndex.findingComment(finding) + "\ntext\n");
    }

    @Test
    void listsReportsWithTheirFindingAndVariantsApart(@TempDir Path root) throws IOException {
        report(root, "quickstart", "quickstart: a sweep", "Best test ELBO: β=1");
        report(root, "quickstart.seeds-1.epochs-1", "quickstart: a sweep; variant -Dseeds=1 -Depochs=1", "Best test ELBO: β=2");
        String index = Files.readString(ReportIndex.update(root));
        int variants = index.indexOf("## Variants");
        assertTrue(variants > 0, index);
        assertTrue(index.indexOf("(quickstart/report.md)") < variants, index);
        assertTrue(index.indexOf("(quickstart.seeds-1.epochs-1/report.md)") > variants, index);
        assertTrue(index.contains("  \n  Best test ELBO: β=1\n"), index);
    }

    /** Item comments (one per claim, say) become a list under the report's finding, in their order. */
    @Test
    void itemsAreListedUnderTheFinding(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("claims"));
        Files.writeString(root.resolve("claims/report.md"), "# claims: verdicts\n" + ReportIndex.findingComment("2 reproduced")
                + "\ntext\n" + ReportIndex.itemComment("a: reproduced") + ReportIndex.itemComment("b: not --> reproduced"));
        String index = Files.readString(ReportIndex.update(root));
        assertTrue(index.contains("  \n  2 reproduced\n  - a: reproduced\n  - b: not → reproduced\n"), index);
    }

    /** Processes finishing different reports at once: the last index written lists every report. */
    @Test
    void concurrentUpdatesNeverLoseAReport(@TempDir Path root) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int k = i;
            threads.add(new Thread(() -> {
                try {
                    report(root, "exp" + k, "exp" + k, "finding " + k);
                    ReportIndex.update(root);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        String index = Files.readString(root.resolve("README.md"));
        for (int i = 0; i < 8; i++) assertTrue(index.contains("(exp" + i + "/report.md)"), index);
        assertEquals(8, index.lines().filter(l -> l.startsWith("- [")).count(), index);
    }

    /** A named budget alone is one of the experiment's own plans; smoke and any other override are variants. */
    @Test
    void namedBudgetsAreResultsButSmokeAndOverridesAreVariants() {
        assertFalse(ReportIndex.isVariant("weighting-shootout"));
        assertFalse(ReportIndex.isVariant("weighting-shootout.budget-long"));
        assertTrue(ReportIndex.isVariant("weighting-shootout.budget-smoke"));
        assertTrue(ReportIndex.isVariant("quickstart.seeds-1.epochs-1"));
        assertTrue(ReportIndex.isVariant("weighting-shootout.seeds-2.budget-long"));
    }
}
