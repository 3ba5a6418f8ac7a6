/**
 * The experiments, one notebook-style file each: the question, the setup as declarative arms, and what the report
 * shows. Each is registered by one line in {@code src/main/resources/META-INF/services/org.vaelab.experiment.Experiment}
 * and run with {@code -Dexperiment=NAME}; nothing else lists them.
 */
package org.vaelab.experiments;
