package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits an awk program into tokens: a {@code /regex/} where an operand is expected, else division. */
final class AwkLexer {
    enum Kind { NUMBER, STRING, REGEX, NAME, FUNC, BUILTIN, KEYWORD, OP, NEWLINE, EOF }

    record Token(Kind kind, String text) {
        boolean is(String s) {
            return (kind == Kind.OP || kind == Kind.KEYWORD) && text.equals(s);
        }
    }

    static final Set<String> KEYWORDS = Set.of("BEGIN", "END", "print", "printf", "if", "else", "while", "for", "do",
            "in", "next", "exit", "break", "continue", "delete", "getline", "return", "function");
    static final Set<String> BUILTINS = Set.of("length", "substr", "index", "split", "sub", "gsub", "match", "sprintf",
            "tolower", "toupper", "int", "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system");
    private static final String[] OPS = {"+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&",
        "||", ">>", "!~", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<",
        "|", "?", ":", "~", "$", "="};

    private AwkLexer() {}

    static List<Token> tokens(String src) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '\\' && i + 1 < src.length() && src.charAt(i + 1) == '\n') {
                i += 2;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < src.length() && src.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\n') {
                out.add(new Token(Kind.NEWLINE, "\n"));
                i++;
                continue;
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1))) {
                int start = i;
                while (i < src.length() && (Character.isDigit(src.charAt(i)) || src.charAt(i) == '.')) {
                    i++;
                }
                if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
                    i++;
                    if (i < src.length() && (src.charAt(i) == '+' || src.charAt(i) == '-')) {
                        i++;
                    }
                    while (i < src.length() && Character.isDigit(src.charAt(i))) {
                        i++;
                    }
                }
                out.add(new Token(Kind.NUMBER, src.substring(start, i)));
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < src.length() && (Character.isLetterOrDigit(src.charAt(i)) || src.charAt(i) == '_')) {
                    i++;
                }
                String word = src.substring(start, i);
                Kind kind = KEYWORDS.contains(word) ? Kind.KEYWORD : BUILTINS.contains(word) ? Kind.BUILTIN
                        : i < src.length() && src.charAt(i) == '(' ? Kind.FUNC : Kind.NAME;
                out.add(new Token(kind, word));
                continue;
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < src.length() && src.charAt(i) != '"') {
                    char x = src.charAt(i);
                    if (x == '\\' && i + 1 < src.length()) {
                        char n = src.charAt(++i);
                        switch (n) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case '"' -> sb.append('"');
                            case '\\' -> sb.append('\\');
                            case '/' -> sb.append('/');
                            default -> sb.append('\\').append(n);
                        }
                    } else {
                        sb.append(x);
                    }
                    i++;
                }
                i++;
                out.add(new Token(Kind.STRING, sb.toString()));
                continue;
            }
            if (c == '/' && !afterOperand(out)) {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < src.length() && src.charAt(i) != '/') {
                    if (src.charAt(i) == '\\' && i + 1 < src.length()) {
                        if (src.charAt(i + 1) != '/') {
                            sb.append('\\');
                        }
                        sb.append(src.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    sb.append(src.charAt(i++));
                }
                i++;
                out.add(new Token(Kind.REGEX, sb.toString()));
                continue;
            }
            String op = null;
            for (String o : OPS) {
                if (src.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw new IllegalArgumentException("unexpected character '" + c + "'");
            }
            out.add(new Token(Kind.OP, op.equals("**") ? "^" : op));
            i += op.length();
        }
        out.add(new Token(Kind.EOF, ""));
        return out;
    }

    private static boolean afterOperand(List<Token> out) {
        if (out.isEmpty()) {
            return false;
        }
        Token t = out.get(out.size() - 1);
        return switch (t.kind()) {
            case NUMBER, STRING, NAME, REGEX -> true;
            case BUILTIN -> true;
            case OP -> t.text().equals(")") || t.text().equals("]") || t.text().equals("++") || t.text().equals("--");
            default -> false;
        };
    }
}
