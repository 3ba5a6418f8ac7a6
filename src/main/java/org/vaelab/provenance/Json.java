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
        try {
            byte[] canonical = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(configTree(config)).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash run config " + config.runId(), e);
        }
    }
}
