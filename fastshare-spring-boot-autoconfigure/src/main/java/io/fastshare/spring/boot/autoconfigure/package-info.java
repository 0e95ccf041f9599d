/**
 * Auto-configuration of fastshare's {@link io.fastshare.SharedMemoryTemplate} from the {@code fastshare.*}
 * properties, with the failure analysis of invalid values and the startup report.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
