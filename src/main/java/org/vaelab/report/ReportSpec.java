package org.vaelab.report;

import java.util.function.Predicate;

/**
 * The words of a report that come from its experiment rather than from its runs.
 *
 * @param name       experiment name (report folder)
 * @param summary    one-line title
 * @param question   opening prose (Markdown)
 * @param discussion what the numbers show, written from this run's results (Markdown); may be empty
 * @param command    the exact command that reproduces the report
 * @param drawn      the configurations (by label) the figures draw; the tables list every one
 */
public record ReportSpec(String name, String summary, String question, String discussion, String command,
                         Predicate<String> drawn) {

    /** A report whose figures draw every configuration. */
    public ReportSpec(String name, String summary, String question, String discussion, String command) {
        this(name, summary, question, discussion, command, label -> true);
    }

    public ReportSpec {
        if (drawn == null) drawn = label -> true;
    }
}
