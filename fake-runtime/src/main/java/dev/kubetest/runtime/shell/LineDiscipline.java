package dev.kubetest.runtime.shell;

import java.util.function.Consumer;

/**
 * What a terminal does with typed input before a process reads it (canonical mode, as a Linux pty does): the
 * characters are echoed, Enter (CR or LF) ends a line, Backspace erases, Ctrl-C interrupts and discards the line,
 * Ctrl-D on an empty line is end of input, and escape sequences (arrow keys) are dropped. Without a terminal,
 * input is only split into lines at LF. Strings are byte strings ({@link ShellText}).
 */
public final class LineDiscipline {
    private final boolean tty;
    private final Consumer<String> echo;
    private final Consumer<String> lines;
    private final Runnable endOfInput;
    private final Runnable interrupt;
    private final StringBuilder line = new StringBuilder();
    private boolean escape;
    private boolean lastWasCr;

    /** {@code lines} gets each complete line with its LF; {@code echo} what the terminal shows of the input. */
    public LineDiscipline(boolean tty, Consumer<String> echo, Consumer<String> lines, Runnable endOfInput, Runnable interrupt) {
        this.tty = tty;
        this.echo = echo;
        this.lines = lines;
        this.endOfInput = endOfInput;
        this.interrupt = interrupt;
    }

    public void input(String bytes) {
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (!tty) {
                line.append(c);
                if (c == '\n') {
                    emit();
                }
                continue;
            }
            boolean cr = c == '\r';
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                continue;
            }
            lastWasCr = cr;
            if (escape) {
                escape = !(Character.isLetter(c) || c == '~');
                continue;
            }
            switch (c) {
                case '\r', '\n' -> {
                    echo.accept("\r\n");
                    line.append('\n');
                    emit();
                }
                case 0x7f, 0x08 -> {
                    if (!line.isEmpty()) {
                        line.setLength(line.length() - 1);
                        echo.accept("\b \b");
                    }
                }
                case 0x03 -> {
                    echo.accept("^C\r\n");
                    line.setLength(0);
                    interrupt.run();
                }
                case 0x04 -> {
                    if (line.isEmpty()) {
                        endOfInput.run();
                    }
                }
                case 0x1b -> escape = true;
                default -> {
                    line.append(c);
                    echo.accept(String.valueOf(c));
                }
            }
        }
    }

    /** The client closed its input: a partial line still counts, then end of input. */
    public void close() {
        if (!line.isEmpty()) {
            emit();
        }
        endOfInput.run();
    }

    private void emit() {
        String l = line.toString();
        line.setLength(0);
        lines.accept(l);
    }
}
