package org.vaelab.report;

/**
 * The words of a report that come from its experiment rather than from its runs.
 *
 * @param name       experiment name (report folder)
 * @param summary    one-line title
 * @param question   opening prose (Markdown)
 * @param discussion what the numbers show, written from this run's results (Markdown); may be empty
 * @param command    the exact command that reproduces the report
 */
public record ReportSpec(String name, String summary, String question, String discussion, String command) {
}
