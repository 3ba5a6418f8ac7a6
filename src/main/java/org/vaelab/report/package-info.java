/**
 * Everything written for readers: run folders ({@link org.vaelab.report.RunFiles}, atomic), the Markdown report
 * ({@link org.vaelab.report.MarkdownReport}) and its XChart figures (one class per chart kind: {@link org.vaelab.report.TrainingCurvesChart}, {@link org.vaelab.report.RateDistortionChart}, {@link org.vaelab.report.PerDimensionKlChart}, {@link org.vaelab.report.KlHeatmapChart}; PNG, SVG and PDF, styled by one {@link org.vaelab.report.Palette} per report).
 * Rendering reads immutable {@link org.vaelab.report.RunRecord}s and never trains or evaluates.
 */
package org.vaelab.report;
