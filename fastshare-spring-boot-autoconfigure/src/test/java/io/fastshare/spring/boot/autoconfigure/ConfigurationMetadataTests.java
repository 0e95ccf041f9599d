package io.fastshare.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration processor's metadata exists and documents every {@code fastshare.*} property. */
class ConfigurationMetadataTests {

    static final Set<String> DOCUMENTED = Set.of("fastshare.enabled", "fastshare.directory", "fastshare.threshold",
            "fastshare.default-ttl", "fastshare.max-live-size", "fastshare.max-inline-size",
            "fastshare.max-inline-read-size", "fastshare.fallback",
            "fastshare.release-on-shutdown", "fastshare.file-permissions", "fastshare.checksums",
            "fastshare.memory-limit-share",
            "fastshare.codec.allowed-types", "fastshare.codec.java-serialization.enabled",
            "fastshare.codec.out-of-band-threshold",
            "fastshare.pool.size", "fastshare.pool.idle-timeout",
            "fastshare.cleanup.enabled", "fastshare.cleanup.interval", "fastshare.cleanup.grace",
            "fastshare.health.min-free-space");

    @Test
    void metadataDocumentsEveryProperty() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated META-INF/spring-configuration-metadata.json").isNotNull();
            root = JsonMapper.builder().build().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        for (JsonNode property : root.get("properties")) {
            properties.put(property.get("name").asString(), property);
        }
        assertThat(properties.keySet()).containsAll(DOCUMENTED);
        Set<String> undocumented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : properties.entrySet()) {
            JsonNode description = entry.getValue().get("description");
            if (description == null || description.asString().isBlank()) {
                undocumented.add(entry.getKey());
            }
        }
        assertThat(undocumented).as("properties without a description").isEmpty();
        assertThat(properties.get("fastshare.threshold").get("type").asString())
                .isEqualTo("org.springframework.util.unit.DataSize");
        assertThat(properties.get("fastshare.cleanup.interval").get("defaultValue").asString()).isEqualTo("1m");
        assertThat(properties.get("fastshare.fallback").get("type").asString()).isEqualTo("io.fastshare.Fallback");
        // Defaults taken from the core's constants are invisible to the processor: the additional metadata
        // states them, and they must match the properties' real defaults.
        FastShareProperties defaults = new FastShareProperties();
        assertThat(properties.get("fastshare.default-ttl").get("defaultValue").asString()).isEqualTo("10m");
        assertThat(defaults.getDefaultTtl()).hasMinutes(10);
        assertThat(properties.get("fastshare.max-inline-size").get("defaultValue").asString()).isEqualTo("48000B");
        assertThat(defaults.getMaxInlineSize().toBytes()).isEqualTo(48_000);
        assertThat(properties.get("fastshare.max-inline-read-size").get("defaultValue").asString()).isEqualTo("16MB");
        assertThat(defaults.getMaxInlineReadSize().toMegabytes()).isEqualTo(16);
        assertThat(properties.get("fastshare.threshold").get("defaultValue").asString()).isEqualTo("8KB");
        assertThat(defaults.getThreshold().toBytes()).isEqualTo(8192);
        assertThat(properties.get("fastshare.pool.size").get("defaultValue").asString()).isEqualTo("1GB");
        assertThat(defaults.getPool().getSize().toGigabytes()).isEqualTo(1);
        assertThat(properties.get("fastshare.pool.idle-timeout").get("defaultValue").asString()).isEqualTo("1m");
        assertThat(defaults.getPool().getIdleTimeout()).hasMinutes(1);
        assertThat(properties.get("fastshare.file-permissions").get("defaultValue").asString())
                .isEqualTo(defaults.getFilePermissions());
        assertThat(properties.get("fastshare.codec.out-of-band-threshold").get("defaultValue").asString())
                .isEqualTo("4KB");
        assertThat(defaults.getCodec().getOutOfBandThreshold().toKilobytes()).isEqualTo(4);
        assertThat(properties.get("fastshare.health.min-free-space").get("defaultValue").asString()).isEqualTo("16MB");
        assertThat(defaults.getHealth().getMinFreeSpace().toMegabytes()).isEqualTo(16);
    }
}
