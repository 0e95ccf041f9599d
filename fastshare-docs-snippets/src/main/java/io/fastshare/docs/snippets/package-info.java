/**
 * The Java snippets of README.md, compiled: each README code block is a {@code tag::name[]} region of
 * these sources, and {@code ReadmeSnippetsTest} fails when the two differ.
 */
@NullMarked
package io.fastshare.docs.snippets;

import org.jspecify.annotations.NullMarked;
