package dev.kubetest.runtime.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a terminal does with keys before the shell reads a line, and what it echoes. */
class LineDisciplineTest {
    private final StringBuilder echo = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private final List<String> signals = new ArrayList<>();

    private LineDiscipline terminal(boolean tty) {
        return new LineDiscipline(tty, echo::append, lines::add, () -> signals.add("EOF"), () -> signals.add("INT"));
    }

    @Test
    void aTerminalEchoesEditsAndEndsLinesOnEnter() {
        LineDiscipline t = terminal(true);
        t.input("ecko\u007f\u007fho hi\r");
        assertThat(lines).containsExactly("echo hi\n");
        assertThat(echo.toString()).isEqualTo("ecko\b \b\b \bho hi\r\n");
        t.input("a\r\nb\n");
        assertThat(lines).containsExactly("echo hi\n", "a\n", "b\n");
    }

    @Test
    void ctrlCDropsTheLineAndCtrlDEndsInputOnlyOnAnEmptyLine() {
        LineDiscipline t = terminal(true);
        t.input("sleep 9\u0003");
        assertThat(lines).isEmpty();
        assertThat(signals).containsExactly("INT");
        assertThat(echo.toString()).endsWith("^C\r\n");
        t.input("x\u0004");
        assertThat(signals).containsExactly("INT");
        t.input("\u007f\u0004");
        assertThat(signals).containsExactly("INT", "EOF");
    }

    @Test
    void arrowKeysAreDropped() {
        LineDiscipline t = terminal(true);
        t.input("l\u001b[Al\u001b[Ds\r");
        assertThat(lines).containsExactly("lls\n");
    }

    @Test
    void withoutATerminalInputIsSplitAtLineFeedsAndNothingIsEchoed() {
        LineDiscipline t = terminal(false);
        t.input("one\ntw");
        t.input("o\r\n\u0003");
        t.close();
        assertThat(lines).containsExactly("one\n", "two\r\n", "\u0003");
        assertThat(echo.toString()).isEmpty();
        assertThat(signals).containsExactly("EOF");
    }
}
