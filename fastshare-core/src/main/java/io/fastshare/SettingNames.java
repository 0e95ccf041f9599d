package io.fastshare;

import io.fastshare.codec.TypeAllowList;

import java.util.Objects;

/**
 * The names error messages give the template's settings, so that a message says what to change in the
 * terms the user configured the template with: builder methods in plain Java, property names in the
 * Spring Boot starter ({@code fastshare.max-live-size}, ...).
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxLiveSize the setting of the live-bytes quota
 * @param maxInlineSize the setting of the inline size limit
 * @param allowedTypes the setting of the type allow-list of untyped reads
 */
public record SettingNames(String maxLiveSize, String maxInlineSize, String allowedTypes) {

    /** The builder's own method names: the default. */
    public static final SettingNames BUILDER = new SettingNames("SharedMemoryTemplate.Builder.maxLiveBytes(...)",
            "SharedMemoryTemplate.Builder.maxInlineSize(...)", TypeAllowList.SETTING);

    /**
     * Checks that every name is present.
     *
     * @param maxLiveSize the setting of the live-bytes quota
     * @param maxInlineSize the setting of the inline size limit
     * @param allowedTypes the setting of the type allow-list
     * @throws NullPointerException when a name is null
     */
    public SettingNames {
        Objects.requireNonNull(maxLiveSize, "maxLiveSize");
        Objects.requireNonNull(maxInlineSize, "maxInlineSize");
        Objects.requireNonNull(allowedTypes, "allowedTypes");
    }
}
