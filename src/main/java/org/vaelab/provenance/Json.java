package org.vaelab.provenance;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaelab.train.RunConfig;

/**
 * JSON for provenance, the canonical form of a run configuration that its SHA-256 is taken over, and a run's two
 * keys in the run store ({@link #trainKey}, {@link #evalKey}). Canonical means sorted keys and Jackson's shortest
 * round-trip doubles, so equal configs hash equally.
 */
public final class Json {

    /** Pretty-printing mapper with sorted keys, shared by readers and writers. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /**
     * The run configuration as a JSON tree. The weighting gets a {@code scheme} entry (its class name) beside
     * its record fields, so two schemes with equal fields never collide.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> configTree(RunConfig config) {
        Map<String, Object> tree = MAPPER.convertValue(config, LinkedHashMap.class);
        Map<String, Object> weighting = new LinkedHashMap<>();
        weighting.put("scheme", config.weighting().getClass().getSimpleName());
        weighting.putAll(MAPPER.convertValue(config.weighting(), LinkedHashMap.class));
        tree.put("weighting", weighting);
        return tree;
    }

    /** SHA-256 (hex) of the canonical JSON of the configuration. */
    public static String configSha256(RunConfig config) {
        return sha256(configTree(config), config);
    }

    /**
     * Fields of {@link RunConfig} that only change how a trained model is evaluated, as paths in
     * {@link #configTree}: the importance samples K and the number of test images. They are left out of the train
     * key and make up the eval key, so changing them re-evaluates a finished run from its model instead of
     * retraining it. A new evaluation-only field must be added here.
     */
    public static final List<String> EVALUATION_FIELDS = List.of("iwSamples", "data.testLimit");

    /** The configuration tree without {@link #EVALUATION_FIELDS}: everything that determines the trained model. */
    public static Map<String, Object> trainingConfigTree(RunConfig config) {
        return withoutEvaluationFields(configTree(config), config.runId());
    }

    /**
     * The canonical JSON of a configuration tree (e.g. one recorded in provenance) without
     * {@link #EVALUATION_FIELDS}: equal strings mean the same training configuration.
     */
    public static String canonicalTrainingConfig(Map<String, Object> configTree) {
        return canonical(withoutEvaluationFields(configTree, "recorded config"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutEvaluationFields(Map<String, Object> configTree, String what) {
        Map<String, Object> tree = new LinkedHashMap<>(configTree);
        for (String path : EVALUATION_FIELDS) {
            Map<String, Object> node = tree;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                Map<String, Object> child = new LinkedHashMap<>((Map<String, Object>) node.get(parts[i]));
                node.put(parts[i], child);
                node = child;
            }
            if (node.remove(parts[parts.length - 1]) == null)
                throw new IllegalStateException("evaluation field " + path + " is not in the config tree of " + what
                        + "; update Json.EVALUATION_FIELDS to RunConfig's fields");
        }
        return tree;
    }

    /** The values of {@link #EVALUATION_FIELDS}, by path. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> evaluationConfig(RunConfig config) {
        Map<String, Object> tree = configTree(config);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String path : EVALUATION_FIELDS) {
            Object node = tree;
            for (String part : path.split("\\.")) node = ((Map<String, Object>) node).get(part);
            out.put(path, node);
        }
        return out;
    }

    /**
     * The run's identity in the run store (its folder name and reuse): SHA-256 over the configuration without
     * {@link #EVALUATION_FIELDS}, the training {@link NumericsVersion}s and the checksum of the training data. Equal
     * keys mean training would give the same model, so a finished run is reused. The code's hash
     * ({@link CodeVersion}) is deliberately not part of it: it only warns.
     *
     * @param trainDataSha256 checksum(s) of the data the model is trained on
     */
    public static String trainKey(RunConfig config, String trainDataSha256) {
        return trainKey(config, trainDataSha256, NumericsVersion.training());
    }

    /** {@link #trainKey(RunConfig, String)} with given training versions (tests pin them to check the canonical form). */
    static String trainKey(RunConfig config, String trainDataSha256, Map<String, Integer> trainingVersions) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("config", trainingConfigTree(config));
        key.put("numerics", trainingVersions);
        key.put("data", trainDataSha256);
        return sha256(key, config);
    }

    /**
     * The identity of a run's evaluation: SHA-256 over its {@link #trainKey train key}, the
     * {@link #EVALUATION_FIELDS}, the checksum of the test data and {@link NumericsVersion#EVALUATION}. A finished
     * run whose recorded eval key differs (a new metric, {@code -DiwK}, another test subset) is re-evaluated from
     * its saved model, not retrained.
     *
     * @param trainKey       the run's {@link #trainKey}
     * @param testDataSha256 checksum(s) of the test data
     */
    public static String evalKey(RunConfig config, String trainKey, String testDataSha256) {
        return evalKey(config, trainKey, testDataSha256, NumericsVersion.evaluation());
    }

    static String evalKey(RunConfig config, String trainKey, String testDataSha256, Map<String, Integer> evalVersions) {
        if (trainKey == null || trainKey.isBlank())
            throw new IllegalArgumentException("run " + config.runId() + ": the eval key needs the run's train key, got '"
                    + trainKey + "'");
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("train", trainKey);
        key.put("evaluation", evaluationConfig(config));
        key.put("numerics", evalVersions);
        key.put("testData", testDataSha256);
        return sha256(key, config);
    }

    private static String sha256(Object tree, RunConfig config) {
        try {
            byte[] canonical = canonical(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | IllegalStateException e) {
            throw new IllegalStateException("cannot hash run config " + config.runId(), e);
        }
    }

    /** Sorted keys, no white space: the form every key and checksum is taken over. */
    private static String canonical(Object tree) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write canonical JSON", e);
        }
    }
}
