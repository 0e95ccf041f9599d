package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.FastShareException;
import io.fastshare.SettingNames;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.codec.PayloadCodec;
import io.fastshare.store.BlockDirectory;
import org.springframework.util.unit.DataSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Builds the auto-configured {@link SharedMemoryTemplate} from {@link FastShareProperties}, codec beans
 * and customizers, reporting any unusable property value as {@link InvalidFastSharePropertyException}.
 *
 * <p>Stateless; each call builds a new template.
 */
final class SharedMemoryTemplateFactory {

    /** Messages of the template name the properties a Spring user sets, not the builder's methods. */
    static final SettingNames SETTING_NAMES = new SettingNames("fastshare.max-live-size",
            "fastshare.max-inline-size", "fastshare.codec.allowed-types");

    private SharedMemoryTemplateFactory() {
    }

    /**
     * Builds a template.
     *
     * @param properties the bound properties
     * @param codecs codec beans, in order; asked before the built-in codecs
     * @param customizers customizers, in order; applied last
     * @return a new template, owned by the caller
     * @throws InvalidFastSharePropertyException when a property value is unusable
     * @throws FastShareException when the template cannot start for another reason
     */
    static SharedMemoryTemplate create(FastShareProperties properties, List<PayloadCodec> codecs,
            List<SharedMemoryTemplateBuilderCustomizer> customizers) {
        SharedMemoryTemplate.Builder builder = SharedMemoryTemplate.builder().settingNames(SETTING_NAMES);
        PropertyBinding.apply("fastshare.file-permissions", properties.getFilePermissions(), builder::filePermissions,
                "Set it to nine characters in 'ls' form that include owner read and write, such as rw------- "
                        + "or rw-r-----.");
        builder.directory(checkDirectory(properties));
        builder.threshold(PropertyBinding.nonNegative("fastshare.threshold", properties.getThreshold()));
        builder.defaultTtl(PropertyBinding.positive("fastshare.default-ttl", properties.getDefaultTtl()));
        DataSize maxLiveSize = properties.getMaxLiveSize();
        if (maxLiveSize != null) {
            builder.maxLiveBytes(PropertyBinding.nonNegative("fastshare.max-live-size", maxLiveSize));
        }
        builder.maxInlineSize(PropertyBinding.between("fastshare.max-inline-size", properties.getMaxInlineSize(),
                SharedMemoryTemplate.Builder.MAX_INLINE_SIZE_LIMIT));
        builder.maxInlineReadSize(PropertyBinding.between("fastshare.max-inline-read-size",
                properties.getMaxInlineReadSize(), SharedMemoryTemplate.Builder.MAX_INLINE_SIZE_LIMIT));
        PropertyBinding.apply("fastshare.fallback", properties.getFallback(), builder::fallback,
                "Set it to 'inline' or 'fail'.");
        FastShareProperties.Codec codec = properties.getCodec();
        PropertyBinding.apply("fastshare.codec.allowed-types", codec.getAllowedTypes(),
                types -> builder.allowedTypes(types.toArray(String[]::new)),
                "Set it to class names or patterns such as com.example.Order, com.example.* or com.example.**.");
        builder.javaSerialization(codec.getJavaSerialization().isEnabled());
        builder.outOfBandThreshold(PropertyBinding.nonNegative("fastshare.codec.out-of-band-threshold",
                codec.getOutOfBandThreshold()));
        builder.poolSize(PropertyBinding.nonNegative("fastshare.pool.size", properties.getPool().getSize()));
        builder.poolIdleTimeout(PropertyBinding.nonNegative("fastshare.pool.idle-timeout",
                properties.getPool().getIdleTimeout()));
        builder.releaseOnClose(properties.isReleaseOnShutdown());
        builder.checksums(properties.isChecksums());
        PropertyBinding.apply("fastshare.memory-limit-share", properties.getMemoryLimitShare(), builder::memoryLimitShare,
                "Set it to a share of the container's memory limit above 0 and at most 1, such as 0.9.");
        codecs.forEach(builder::codec);
        customizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Resolves the block directory and makes sure it exists and is writable, so that a bad directory is
     * reported against {@code fastshare.directory} rather than as a generic startup failure. Called after
     * the file permissions were checked: they decide the permissions of a directory created here.
     */
    private static Path checkDirectory(FastShareProperties properties) {
        Path configured = properties.getDirectory();
        Path directory = configured != null ? configured : BlockDirectory.defaultPath();
        boolean existed = Files.exists(directory);
        boolean isDirectory = Files.isDirectory(directory);
        try {
            BlockDirectory.open(directory, PosixFilePermissions.fromString(properties.getFilePermissions()));
        } catch (FastShareException e) {
            String elsewhere = "point it at a writable directory, ideally on tmpfs such as /dev/shm/fastshare.";
            String action;
            if (!existed) {
                action = "Create it with write access for this process's user, or " + elsewhere;
            } else if (!isDirectory) {
                action = "It exists but is not a directory: " + elsewhere;
            } else {
                action = "Give this process's user write access to it (in Kubernetes, for example, through the "
                        + "pod's fsGroup), or " + elsewhere;
            }
            throw new InvalidFastSharePropertyException("fastshare.directory", directory,
                    "the block directory cannot be used: " + e.getMessage(), action, e);
        }
        return directory;
    }
}
