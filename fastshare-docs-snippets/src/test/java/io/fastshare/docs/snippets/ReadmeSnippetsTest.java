package io.fastshare.docs.snippets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README.md shows exactly the compiled snippets of this module: every {@code ```java} block carries a
 * {@code <!-- snippet: name -->} marker, and its text equals the {@code tag::name[]} region of the sources.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java");

    @Test
    void everyReadmeJavaBlockIsACompiledSnippet() throws IOException {
        Map<String, String> shown = SnippetRegions.fromMarkdown(README);
        Map<String, String> compiled = SnippetRegions.fromSources(SOURCES);

        assertThat(shown.keySet()).as("snippets README.md shows that no source tags").isSubsetOf(compiled.keySet());
        assertThat(compiled.keySet()).as("tagged snippets README.md does not show").isSubsetOf(shown.keySet());
        shown.forEach((name, text) -> assertThat(text)
                .as("README.md snippet '%s' differs from the tag::%s[] region in %s", name, name, SOURCES)
                .isEqualTo(compiled.get(name)));
    }

    @Test
    void javaBlockWithoutMarkerIsRejected(@TempDir Path dir) throws IOException {
        Path markdown = Files.writeString(dir.resolve("doc.md"), "text\n\n```java\nint x = 1;\n```\n");

        assertThatThrownBy(() -> SnippetRegions.fromMarkdown(markdown))
                .hasMessageContaining("without a <!-- snippet: name --> marker");
    }

    @Test
    void markedBlockIsComparedWithoutItsIndentation(@TempDir Path dir) throws IOException {
        Path markdown = Files.writeString(dir.resolve("doc.md"),
                "<!-- snippet: a -->\n```java\nif (x) {\n    y();\n}\n```\n");
        Path source = Files.writeString(dir.resolve("A.java"),
                "class A {\n    void m() {\n        // tag::a[]\n        if (x) {\n            y();\n        }\n"
                        + "        // end::a[]\n    }\n}\n");

        assertThat(SnippetRegions.fromMarkdown(markdown)).isEqualTo(SnippetRegions.fromSources(source.getParent()));
    }
}
