/**
 * Everything written for readers: run folders ({@link org.vaelab.report.RunFiles}, atomic), the Markdown report
 * ({@link org.vaelab.report.MarkdownReport}) and its XChart figures ({@link org.vaelab.report.Figures}, PNG, SVG and PDF).
 * Rendering reads immutable {@link org.vaelab.report.RunRecord}s and never trains or evaluates.
 */
package org.vaelab.report;
