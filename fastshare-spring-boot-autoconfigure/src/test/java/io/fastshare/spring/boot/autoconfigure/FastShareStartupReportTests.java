package io.fastshare.spring.boot.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the startup report warns about a small filesystem, and how it prints sizes. */
class FastShareStartupReportTests {

    static final long MB = 1024 * 1024;

    @Test
    void warnsForDockersDefault64MegabyteShm() {
        assertThat(FastShareStartupReport.smallFilesystemWarning(64 * MB, 1_000_000))
                .contains("64MB").contains("--shm-size").contains("sizeLimit");
    }

    @Test
    void warnsWhenFewPayloadsOfTheThresholdFit() {
        assertThat(FastShareStartupReport.smallFilesystemWarning(1024 * MB, 100 * MB)).isNotNull();
    }

    @Test
    void quietForARoomyFilesystemOrUnknownSize() {
        assertThat(FastShareStartupReport.smallFilesystemWarning(8192 * MB, 1_000_000)).isNull();
        assertThat(FastShareStartupReport.smallFilesystemWarning(-1, 1_000_000)).isNull();
        assertThat(FastShareStartupReport.smallFilesystemWarning(8192 * MB, Long.MAX_VALUE)).isNotNull();
    }

    @Test
    void suggestsHugePagesOnlyForASmallPageTmpfs() {
        assertThat(FastShareStartupReport.hugePagesTip(java.util.Optional.of(false))).contains("huge=within_size");
        assertThat(FastShareStartupReport.hugePagesTip(java.util.Optional.of(true))).isNull();
        assertThat(FastShareStartupReport.hugePagesTip(java.util.Optional.empty())).isNull();
    }

    @Test
    void formatsSizes() {
        assertThat(FastShareStartupReport.format(64 * MB)).isEqualTo("64MB");
        assertThat(FastShareStartupReport.format(1_000_000)).isEqualTo("1000000B");
        assertThat(FastShareStartupReport.format(4096)).isEqualTo("4KB");
        assertThat(FastShareStartupReport.format((long) (23.5 * 1024 * MB))).isEqualTo("23.5GB");
        assertThat(FastShareStartupReport.format(-1)).isEqualTo("unknown");
    }
}
