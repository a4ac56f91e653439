package dev.kubetest.runtime.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code read}'s field splitting and line ends, as busybox ash does them. */
class ReadBuiltinTest {
    @Test
    void theLastNameTakesTheRestOfTheLineAndMissingFieldsAreEmpty() {
        assertThat(ReadBuiltin.assign("  one two   three four ", List.of("a", "b"), false)).containsExactly("one", "two   three four");
        assertThat(ReadBuiltin.assign("only", List.of("a", "b", "c"), false)).containsExactly("only", "", "");
        assertThat(ReadBuiltin.assign("\tx\t", List.of("REPLY"), false)).containsExactly("x");
    }

    @Test
    void withoutRawABackslashEscapesTheNextCharacter() {
        assertThat(ReadBuiltin.assign("one\\ two three", List.of("a", "b"), false)).containsExactly("one two", "three");
        assertThat(ReadBuiltin.assign("one\\ two three", List.of("a", "b"), true)).containsExactly("one\\", "two three");
        assertThat(ReadBuiltin.assign("a\\\\b", List.of("x"), false)).containsExactly("a\\b");
    }

    @Test
    void aBackslashNewlineContinuesTheLineUnlessRaw() {
        assertThat(ReadBuiltin.complete("first \\\n", false)).isFalse();
        assertThat(ReadBuiltin.complete("first \\\n", true)).isTrue();
        assertThat(ReadBuiltin.complete("first \\\nsecond\nthird\n", false)).isTrue();
        assertThat(ReadBuiltin.lineLength("first \\\nsecond\nthird\n", false)).isEqualTo("first \\\nsecond\n".length());
        assertThat(ReadBuiltin.assign("first \\\nsecond", List.of("a", "b"), false)).containsExactly("first", "second");
        assertThat(ReadBuiltin.lineLength("no end", false)).isEqualTo(6);
    }

    @Test
    void optionsNameThePromptAndTheVariables() {
        ReadBuiltin.Options o = ReadBuiltin.options(List.of("-r", "-p", "name? ", "who", "where"));
        assertThat(o.raw()).isTrue();
        assertThat(o.prompt()).isEqualTo("name? ");
        assertThat(o.names()).containsExactly("who", "where");
        assertThat(ReadBuiltin.options(List.of("-t", "5")).names()).containsExactly("REPLY");
    }
}
