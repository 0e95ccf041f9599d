package io.fastshare.cleanup;

import io.fastshare.format.BlockPreamble;
import io.fastshare.format.HeaderPeek;
import org.jspecify.annotations.Nullable;

/**
 * Everything a janitor can tell about one block: its listing entry plus the decoded header and, for a
 * block that validates in full, its buffer table and codec. For tools such as the CLI's {@code inspect}.
 *
 * @param info the listing entry
 * @param header the leniently read header fields, {@code null} when the header is unreadable
 * @param preamble the fully validated header, buffer table and metadata, {@code null} unless the block
 *     is committed and valid
 * @param problem why the block is not readable ({@code null} for a valid committed block)
 */
public record BlockDetails(BlockInfo info, @Nullable HeaderPeek header, @Nullable BlockPreamble preamble,
        @Nullable String problem) {
}
