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
 * @param runKey         the run's train key ({@link Json#trainKey}): SHA-256 over the config without evaluation-only
 *                       fields, the training {@link NumericsVersion}s and the training data's checksum; the run's
 *                       identity in the run store (its folder name and reuse)
 * @param codeSha256     {@link CodeVersion#sha256()} of the code that trained the model: recorded to warn when a reused
 *                       run was made by other code, not part of any key
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
 * @param evalKey        the run's eval key ({@link Json#evalKey}): its train key plus the evaluation-only config
 *                       fields, the test data's checksum and {@link NumericsVersion#EVALUATION}; a reused run whose
 *                       eval key differs from the wanted one is re-evaluated from its model; null in records from
 *                       before eval keys
 * @param numericsVersion {@link NumericsVersion#all()} in force when the run was trained (training components) and
 *                       last evaluated ({@code evaluation}); null in records from before declared versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Provenance(String runId, Map<String, Object> config, String configSha256, String runKey, String codeSha256,
                         long seed, String gitCommit,
                         boolean gitDirty, Map<String, String> versions, Map<String, String> hardware,
                         Map<String, String> dataSha256, String startTime, String endTime, double trainSeconds,
                         double evalSeconds, @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> model,
                         String evalKey, Map<String, Integer> numericsVersion) {
}
