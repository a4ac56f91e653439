package dev.kubetest.runtime.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

/** awk's built-in functions and its printf formatting. */
final class AwkFunctions {
    private AwkFunctions() {}

    static Awk.Expr call(String name, List<Awk.Expr> args) {
        return switch (name) {
            case "length" -> env -> args.isEmpty() ? (double) Awk.string(env.field(0), env).length()
                    : args.get(0) instanceof Awk.Variable v && !(env.get(v.name()) instanceof Double)
                            && env.array(v.name()).size() > 0 ? (double) env.array(v.name()).size()
                    : (double) Awk.string(args.get(0).eval(env), env).length();
            case "substr" -> env -> {
                String s = Awk.string(args.get(0).eval(env), env);
                double start = Math.rint(Awk.number(args.get(1).eval(env)));
                double len = args.size() > 2 ? Math.rint(Awk.number(args.get(2).eval(env))) : Double.POSITIVE_INFINITY;
                double from = Math.max(start, 1);
                double to = Math.min(start + len, s.length() + 1);
                return to <= from ? "" : s.substring((int) from - 1, (int) to - 1);
            };
            case "index" -> env -> (double) (Awk.string(args.get(0).eval(env), env)
                    .indexOf(Awk.string(args.get(1).eval(env), env)) + 1);
            case "split" -> env -> {
                String s = Awk.string(args.get(0).eval(env), env);
                String array = ((Awk.Variable) args.get(1)).name();
                List<String> parts;
                if (args.size() > 2) {
                    parts = args.get(2) instanceof Awk.RegexLiteral r
                            ? List.of(env.regex(r).split(s, -1)) : env.split(s, Awk.string(args.get(2).eval(env), env));
                } else {
                    parts = env.split(s, Awk.string(env.get("FS"), env));
                }
                Map<String, Object> a = env.array(array);
                a.clear();
                for (int i = 0; i < parts.size(); i++) {
                    a.put(Integer.toString(i + 1), new Awk.StrNum(parts.get(i)));
                }
                return (double) parts.size();
            };
            case "sub", "gsub" -> env -> substitute(env, args, name.equals("gsub"));
            case "match" -> env -> {
                Matcher m = env.regex(args.get(1)).matcher(Awk.string(args.get(0).eval(env), env));
                boolean found = m.find();
                env.setVar("RSTART", found ? (double) m.start() + 1 : 0.0);
                env.setVar("RLENGTH", found ? (double) (m.end() - m.start()) : -1.0);
                return found ? (double) m.start() + 1 : 0.0;
            };
            case "sprintf" -> env -> {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i < args.size(); i++) {
                    values.add(args.get(i).eval(env));
                }
                return sprintf(Awk.string(args.get(0).eval(env), env), values, env);
            };
            case "tolower" -> env -> Awk.string(args.get(0).eval(env), env).toLowerCase(Locale.ROOT);
            case "toupper" -> env -> Awk.string(args.get(0).eval(env), env).toUpperCase(Locale.ROOT);
            case "int" -> env -> {
                double d = Awk.number(args.get(0).eval(env));
                return d < 0 ? Math.ceil(d) : Math.floor(d);
            };
            case "sqrt" -> env -> Math.sqrt(Awk.number(args.get(0).eval(env)));
            case "exp" -> env -> Math.exp(Awk.number(args.get(0).eval(env)));
            case "log" -> env -> Math.log(Awk.number(args.get(0).eval(env)));
            case "sin" -> env -> Math.sin(Awk.number(args.get(0).eval(env)));
            case "cos" -> env -> Math.cos(Awk.number(args.get(0).eval(env)));
            case "atan2" -> env -> Math.atan2(Awk.number(args.get(0).eval(env)), Awk.number(args.get(1).eval(env)));
            case "rand" -> env -> 0.5;
            case "srand" -> env -> 0.0;
            default -> throw new IllegalArgumentException("function " + name + " never defined");
        };
    }

    private static Object substitute(Awk env, List<Awk.Expr> args, boolean global) {
        Awk.Lvalue target = args.size() > 2 ? (Awk.Lvalue) args.get(2) : new Awk.Field(e -> 0.0);
        String text = Awk.string(target.eval(env), env);
        String replacement = Awk.string(args.get(1).eval(env), env);
        Matcher m = env.regex(args.get(0)).matcher(text);
        StringBuilder sb = new StringBuilder();
        int count = 0;
        int at = 0;
        while (m.find()) {
            sb.append(text, at, m.start());
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\' && i + 1 < replacement.length() && (replacement.charAt(i + 1) == '&'
                        || replacement.charAt(i + 1) == '\\')) {
                    sb.append(replacement.charAt(++i));
                } else if (c == '&') {
                    sb.append(m.group());
                } else {
                    sb.append(c);
                }
            }
            at = m.end();
            count++;
            if (!global) {
                break;
            }
            if (m.end() == m.start()) {
                if (m.end() < text.length()) {
                    sb.append(text.charAt(m.end()));
                }
                at = m.end() + 1;
                if (at > text.length() || !m.find(at)) {
                    break;
                }
                m.region(at, text.length());
            }
        }
        if (count > 0) {
            sb.append(text.substring(Math.min(at, text.length())));
            target.set(env, sb.toString());
        }
        return (double) count;
    }

    /** awk's printf: %d %i %o %x %X %u %c %s %e %f %g %%, with flags, width and precision (also {@code *}). */
    static String sprintf(String fmt, List<Object> values, Awk env) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '%') {
                out.append('%');
                i++;
                continue;
            }
            int j = i + 1;
            StringBuilder spec = new StringBuilder("%");
            while (j < fmt.length() && "-+ #0".indexOf(fmt.charAt(j)) >= 0) {
                spec.append(fmt.charAt(j++));
            }
            while (j < fmt.length() && (Character.isDigit(fmt.charAt(j)) || fmt.charAt(j) == '.' || fmt.charAt(j) == '*')) {
                if (fmt.charAt(j) == '*') {
                    spec.append((long) Awk.number(arg < values.size() ? values.get(arg++) : 0.0));
                } else {
                    spec.append(fmt.charAt(j));
                }
                j++;
            }
            while (j < fmt.length() && "hlLqjzt".indexOf(fmt.charAt(j)) >= 0) {
                j++;
            }
            if (j >= fmt.length()) {
                out.append(fmt, i, fmt.length());
                break;
            }
            char conv = fmt.charAt(j);
            Object v = arg < values.size() ? values.get(arg++) : "";
            String s = spec.toString();
            out.append(switch (conv) {
                case 'd', 'i', 'u' -> String.format(Locale.ROOT, s.replace("#", "") + "d", (long) Awk.number(v));
                case 'o' -> String.format(Locale.ROOT, s + "o", (long) Awk.number(v));
                case 'x', 'X' -> String.format(Locale.ROOT, s + conv, (long) Awk.number(v));
                case 'e', 'E', 'f', 'F', 'g', 'G' -> gFormat(s, conv == 'F' ? 'f' : conv, Awk.number(v));
                case 'c' -> String.format(Locale.ROOT, stringSpec(s, false) + "s", v instanceof Double d
                        ? String.valueOf((char) d.intValue()) : Awk.string(v, env).isEmpty() ? "" : Awk.string(v, env).substring(0, 1));
                case 's' -> String.format(Locale.ROOT, stringSpec(s, true) + "s",
                        v instanceof Double d ? Awk.format(d, env == null ? "%.6g" : Awk.string(env.get("OFMT"), null))
                                : Awk.string(v, env));
                default -> s + conv;
            });
            i = j;
        }
        return out.toString();
    }

    /** C's %g differs from Java's: no trailing zeros, and the shorter of %e and %f. */
    private static String gFormat(String spec, char conv, double v) {
        if (conv != 'g' && conv != 'G') {
            return String.format(Locale.ROOT, spec + conv, v);
        }
        int dot = spec.indexOf('.');
        int precision = dot < 0 ? 6 : Math.max(1, Integer.parseInt(spec.substring(dot + 1).isEmpty() ? "0" : spec.substring(dot + 1)));
        String flagsWidth = dot < 0 ? spec : spec.substring(0, dot);
        if (v == 0) {
            return String.format(Locale.ROOT, flagsWidth + "s", "0");
        }
        int exp = (int) Math.floor(Math.log10(Math.abs(v)));
        String body;
        if (exp < -4 || exp >= precision) {
            body = String.format(Locale.ROOT, "%." + (precision - 1) + "e", v);
            String mantissa = body.substring(0, body.indexOf('e'));
            if (mantissa.contains(".") && !spec.contains("#")) {
                mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            body = mantissa + body.substring(body.indexOf('e'));
        } else {
            body = String.format(Locale.ROOT, "%." + Math.max(0, precision - 1 - exp) + "f", v);
            if (body.contains(".") && !spec.contains("#")) {
                body = body.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
        }
        if (conv == 'G') {
            body = body.toUpperCase(Locale.ROOT);
        }
        return String.format(Locale.ROOT, stringSpec(flagsWidth, false) + "s",
                spec.contains("+") && v >= 0 ? "+" + body : body);
    }

    /** A printf spec ({@code %-08.3}) reduced to what Java's %s takes: the '-' flag, the width, a precision. */
    private static String stringSpec(String spec, boolean keepPrecision) {
        Matcher m = java.util.regex.Pattern.compile("%([-+ #0]*)(\\d*)(\\.\\d*)?").matcher(spec);
        if (!m.matches()) {
            return "%";
        }
        String precision = m.group(3) == null || !keepPrecision ? "" : m.group(3).equals(".") ? ".0" : m.group(3);
        return "%" + (m.group(1).contains("-") && !m.group(2).isEmpty() ? "-" : "") + m.group(2) + precision;
    }
}
