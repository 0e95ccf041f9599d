/**
 * The {@code fastshare} command-line tool: lists, inspects and cleans block directories.
 */
@NullMarked
package io.fastshare.cli;

import org.jspecify.annotations.NullMarked;
