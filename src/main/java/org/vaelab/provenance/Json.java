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
import java.util.Map;
import org.vaelab.train.RunConfig;

/**
 * JSON for provenance and the canonical form of a run configuration that its SHA-256 is taken over.
 * Canonical means sorted keys and Jackson's shortest round-trip doubles, so equal configs hash equally.
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
     * The run's identity in the run store: SHA-256 over its configuration, the code version ({@link CodeVersion})
     * and the checksums of its data. Equal keys mean the run would compute the same numbers, so it is reused.
     */
    public static String runKey(RunConfig config, String codeSha256, String dataSha256) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("config", configTree(config));
        key.put("code", codeSha256);
        key.put("data", dataSha256);
        return sha256(key, config);
    }

    private static String sha256(Object tree, RunConfig config) {
        try {
            byte[] canonical = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash run config " + config.runId(), e);
        }
    }
}
