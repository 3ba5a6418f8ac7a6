package org.vaelab.provenance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Where a run's numbers came from: enough to recompute them, or to tell why they differ.
 *
 * @param runId          the run's directory name
 * @param config         the full run configuration as a JSON-ready tree
 * @param configSha256   SHA-256 of the canonical JSON of {@code config}
 * @param runKey         SHA-256 over config, code version and data checksums: the run's identity in the run store
 * @param codeSha256     {@link CodeVersion#sha256()} of the code that ran
 * @param seed           the run's root seed
 * @param gitCommit      commit of the code that ran ({@code unknown} outside a git checkout)
 * @param gitDirty       whether the work tree had uncommitted changes
 * @param versions       Java, ND4J, vaelab and OS versions
 * @param hardware       CPU model, cores, thread settings in force
 * @param dataSha256     checksums of the train and test data files
 * @param startTime      ISO-8601 UTC start of training
 * @param endTime        ISO-8601 UTC end of evaluation
 * @param trainSeconds   wall time of training
 * @param evalSeconds    wall time of evaluation
 * @param model          how to read the run's model file ({@code org.vaelab.export.ModelExport#describe}): file name,
 *                       W layout, layers with shapes and activations, decoder likelihood and σ; null (and left out of
 *                       the JSON) for a run that wrote no model, e.g. one that diverged, or one from before model files
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(String runId, Map<String, Object> config, String configSha256, String runKey, String codeSha256,
                         long seed, String gitCommit,
                         boolean gitDirty, Map<String, String> versions, Map<String, String> hardware,
                         Map<String, String> dataSha256, String startTime, String endTime, double trainSeconds,
                         double evalSeconds, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> model) {
}
