package dev.hypr.api.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hypr.api.build.Instruction.Arg;
import dev.hypr.api.build.Instruction.ArgDecl;
import dev.hypr.api.build.Instruction.Heredoc;
import dev.hypr.api.build.Instruction.KeyValue;
import dev.hypr.api.build.Instruction.Mount;
import dev.hypr.api.compose.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dockerfile text to {@link Dockerfile}, following BuildKit's parser: parser directives at the
 * top ({@code # escape}, {@code # syntax} ignored with a note), line continuations with comment and
 * blank lines skipped inside them, heredocs on RUN/COPY/ADD, leading {@code --flags}, and each
 * instruction's own argument form (JSON or shell, {@code key=value} pairs, ...).
 */
public final class DockerfileParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9\\-_.]*$");
    private static final Pattern HEREDOC = Pattern.compile("(?<![<\\w])(\\d*)<<(-?)(['\"]?)([A-Za-z0-9_.\\-]+)\\3(?=\\s|$)");
    private static final Pattern ARG_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_.\\-]*$");
    private static final Set<String> MOUNT_TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
    private static final Set<String> KEYWORDS = Set.of("FROM", "RUN", "COPY", "ADD", "ENV", "ARG", "WORKDIR",
            "USER", "SHELL", "EXPOSE", "VOLUME", "LABEL", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL",
            "ONBUILD", "MAINTAINER");

    private final String file;
    private final List<BuildWarning> warnings = new ArrayList<>();
    private char escape = '\\';
    private String syntax;

    private DockerfileParser(String file) {
        this.file = file == null ? "Dockerfile" : file;
    }

    public static Dockerfile parse(String file, String text) {
        return new DockerfileParser(file).run(text);
    }

    /** One logical line: the instruction keyword, its flags and the rest, plus heredocs. */
    private record Logical(int line, String keyword, List<String> flags, String rest, List<Heredoc> heredocs) {
    }

    private Dockerfile run(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        int i = directives(lines);
        List<Logical> logical = new ArrayList<>();
        while (i < lines.length) {
            String raw = lines[i];
            int start = i + 1;
            i++;
            if (isComment(raw)) {
                continue;
            }
            String first = raw.stripLeading();
            String[] cont = continuation(first);
            String line = cont[0];
            boolean more = cont[1] != null;
            if (!more && line.isBlank()) {
                continue;
            }
            boolean emptyContinuation = false;
            while (more && i < lines.length) {
                String next = lines[i++];
                if (isComment(next)) {
                    continue;
                }
                if (next.isBlank()) {
                    emptyContinuation = true;
                    continue;
                }
                cont = continuation(next);
                line += cont[0];
                more = cont[1] != null;
            }
            if (emptyContinuation) {
                warn(start, "empty continuation line (blank lines inside a continued instruction are ignored)");
            }
            Logical l = split(start, line);
            if (l == null) {
                continue;
            }
            if ((l.keyword.equals("RUN") || l.keyword.equals("COPY") || l.keyword.equals("ADD"))
                    && l.rest.contains("<<")) {
                List<Heredoc> docs = new ArrayList<>();
                Matcher m = HEREDOC.matcher(l.rest);
                while (m.find()) {
                    String name = m.group(4);
                    boolean chomp = m.group(2).equals("-");
                    StringBuilder content = new StringBuilder();
                    boolean terminated = false;
                    while (i < lines.length) {
                        String body = lines[i++];
                        String candidate = chomp ? body.replaceFirst("^\t+", "") : body;
                        if (candidate.equals(name)) {
                            terminated = true;
                            break;
                        }
                        content.append(chomp ? candidate : body).append('\n');
                    }
                    if (!terminated) {
                        throw error(start, l.keyword, "unterminated heredoc <<" + name + " (no line \"" + name + "\" ends it)");
                    }
                    docs.add(new Heredoc(name, content.toString(), m.group(3).isEmpty(), chomp));
                }
                l = new Logical(l.line, l.keyword, l.flags, l.rest, docs);
            }
            logical.add(l);
        }
        return assemble(logical);
    }

    /** Reads the parser directives at the top; returns the index of the first line after them. */
    private int directives(String[] lines) {
        Set<String> seen = new java.util.HashSet<>();
        int i = 0;
        for (; i < lines.length; i++) {
            Matcher m = DIRECTIVE.matcher(lines[i].strip());
            if (!m.matches()) {
                break;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String value = m.group(2);
            if (!key.equals("syntax") && !key.equals("escape") && !key.equals("check")) {
                break; // an unknown directive is a comment, and ends the directives
            }
            if (!seen.add(key)) {
                throw error(i + 1, null, "only one " + key + " parser directive can be used");
            }
            switch (key) {
                case "escape" -> {
                    if (!value.equals("\\") && !value.equals("`")) {
                        throw error(i + 1, null, "invalid escape token '" + value + "' does not match ` or \\");
                    }
                    escape = value.charAt(0);
                }
                case "syntax" -> {
                    syntax = value;
                    warn(i + 1, "# syntax=" + value + " is ignored: hypr's builtin Dockerfile frontend is used");
                }
                default -> warn(i + 1, "# check=" + value + " is ignored: hypr runs no build checks");
            }
        }
        return i;
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    /** Strips a trailing escape (plus white space): {@code [text, "more"]} or {@code [text, null]}. */
    private String[] continuation(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == escape) {
            return new String[] {line.substring(0, end - 1), "more"};
        }
        return new String[] {line, null};
    }

    /** Splits a logical line into keyword, leading {@code --flags} and the rest. */
    private Logical split(int line, String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        int sp = 0;
        while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
            sp++;
        }
        String keyword = s.substring(0, sp).toUpperCase(Locale.ROOT);
        if (!KEYWORDS.contains(keyword)) {
            throw error(line, null, "unknown instruction: " + s.substring(0, sp));
        }
        String rest = s.substring(sp).strip();
        List<String> flags = new ArrayList<>();
        int pos = 0;
        while (true) {
            while (pos < rest.length() && Character.isWhitespace(rest.charAt(pos))) {
                pos++;
            }
            if (!rest.startsWith("--", pos)) {
                break;
            }
            int end = pos;
            char quote = 0;
            while (end < rest.length()) {
                char c = rest.charAt(end);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    break;
                }
                end++;
            }
            String flag = rest.substring(pos + 2, end);
            pos = end;
            if (flag.isEmpty()) {
                break; // "--" ends the flags
            }
            flags.add(flag);
        }
        return new Logical(line, keyword, flags, rest.substring(Math.min(pos, rest.length())).strip(), List.of());
    }

    private Dockerfile assemble(List<Logical> logical) {
        if (logical.isEmpty()) {
            throw error(0, null, "the Dockerfile has no instructions");
        }
        List<Arg> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> body = new ArrayList<>();
        for (Logical l : logical) {
            Instruction ins = instruction(l);
            if (ins instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), from.name(), from, body));
                }
                for (Stage s : stages) {
                    if (f.name() != null && f.name().equals(s.name())) {
                        throw error(l.line, "FROM", "duplicate stage name \"" + f.name() + "\" (also on line "
                                + s.from().line() + ")");
                    }
                }
                from = f;
                body = new ArrayList<>();
            } else if (from == null) {
                if (!(ins instanceof Arg a)) {
                    throw error(l.line, l.keyword, "only ARG may come before the first FROM");
                }
                globalArgs.add(a);
            } else {
                body.add(ins);
            }
        }
        if (from == null) {
            throw error(0, null, "the Dockerfile has no FROM instruction");
        }
        stages.add(new Stage(stages.size(), from.name(), from, body));
        return new Dockerfile(file, escape, syntax, globalArgs, stages, warnings);
    }

    private Instruction instruction(Logical l) {
        Flags flags = new Flags(l);
        Instruction ins = switch (l.keyword) {
            case "FROM" -> from(l, flags);
            case "RUN" -> run(l, flags);
            case "COPY", "ADD" -> copy(l, flags);
            case "ENV" -> new Instruction.Env(l.line, nameValues(l, "ENV"));
            case "LABEL" -> new Instruction.Label(l.line, nameValues(l, "LABEL"), false);
            case "MAINTAINER" -> {
                requireArgs(l);
                warn(l.line, "MAINTAINER is deprecated: it is recorded as LABEL maintainer=...");
                yield new Instruction.Label(l.line, List.of(new KeyValue("maintainer", l.rest)), true);
            }
            case "ARG" -> arg(l);
            case "WORKDIR" -> new Instruction.Workdir(l.line, requireArgs(l));
            case "USER" -> new Instruction.User(l.line, requireArgs(l));
            case "STOPSIGNAL" -> new Instruction.StopSignal(l.line, requireArgs(l));
            case "SHELL" -> {
                List<String> shell = json(l);
                if (shell == null) {
                    throw error(l.line, "SHELL", "SHELL requires the arguments to be in JSON form, e.g. [\"/bin/sh\", \"-c\"]");
                }
                if (shell.isEmpty()) {
                    throw error(l.line, "SHELL", "SHELL requires at least one argument");
                }
                yield new Instruction.Shell(l.line, shell);
            }
            case "EXPOSE" -> new Instruction.Expose(l.line, whitespaceWords(requireArgs(l)));
            case "VOLUME" -> {
                List<String> paths = jsonOrWords(l);
                if (paths.isEmpty() || paths.stream().anyMatch(String::isBlank)) {
                    throw error(l.line, "VOLUME", "VOLUME specified can not be an empty string");
                }
                yield new Instruction.Volume(l.line, paths);
            }
            case "CMD", "ENTRYPOINT" -> {
                List<String> exec = json(l);
                boolean entry = l.keyword.equals("ENTRYPOINT");
                if (exec != null) {
                    yield new Instruction.Cmd(l.line, entry, exec, true);
                }
                yield new Instruction.Cmd(l.line, entry, List.of(requireArgs(l)), false);
            }
            case "HEALTHCHECK" -> healthcheck(l, flags);
            case "ONBUILD" -> onbuild(l);
            default -> throw error(l.line, null, "unknown instruction: " + l.keyword);
        };
        flags.rejectUnused();
        return ins;
    }

    private Instruction.From from(Logical l, Flags flags) {
        String platform = flags.string("platform");
        List<String> words = whitespaceWords(requireArgs(l));
        String name = null;
        if (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")) {
            name = words.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw error(l.line, "FROM", "invalid name for build stage: \"" + words.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        } else if (words.size() != 1) {
            throw error(l.line, "FROM", "FROM requires either one argument, or three: FROM <image> [AS <name>]");
        }
        return new Instruction.From(l.line, words.get(0), platform, name);
    }

    private Instruction.Run run(Logical l, Flags flags) {
        List<Mount> mounts = new ArrayList<>();
        for (String m : flags.strings("mount")) {
            mounts.add(mount(l, m));
        }
        String network = flags.string("network");
        if (network != null && !Set.of("default", "none", "host").contains(network)) {
            throw error(l.line, "RUN", "unsupported --network=" + network + " (use default, none or host)");
        }
        String security = flags.string("security");
        if (security != null && !Set.of("sandbox", "insecure").contains(security)) {
            throw error(l.line, "RUN", "unsupported --security=" + security + " (use sandbox or insecure)");
        }
        List<String> exec = json(l);
        if (exec != null) {
            if (exec.isEmpty()) {
                throw error(l.line, "RUN", "RUN requires at least one argument");
            }
            return new Instruction.Run(l.line, exec, true, mounts, network, security, l.heredocs);
        }
        return new Instruction.Run(l.line, List.of(requireArgs(l)), false, mounts, network, security, l.heredocs);
    }

    /** {@code type=cache,target=/root/.cache,sharing=locked}: keys and values, type defaulting to bind. */
    private Mount mount(Logical l, String spec) {
        Map<String, String> options = new LinkedHashMap<>();
        String type = "bind";
        for (String field : csv(spec)) {
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT).strip();
            String value = eq < 0 ? "" : field.substring(eq + 1);
            if (key.equals("type")) {
                type = value.toLowerCase(Locale.ROOT);
                if (!MOUNT_TYPES.contains(type)) {
                    throw error(l.line, "RUN", "unsupported mount type \"" + value + "\" in --mount=" + spec
                            + " (use bind, cache, tmpfs, secret or ssh)");
                }
            } else if (!Set.of("target", "dst", "destination", "source", "src", "from", "id", "sharing", "mode",
                    "uid", "gid", "required", "readonly", "ro", "rw", "readwrite", "env", "size").contains(key)) {
                throw error(l.line, "RUN", "unknown key \"" + key + "\" in --mount=" + spec);
            } else {
                options.put(key, value);
            }
        }
        Mount m = new Mount(type, Map.copyOf(options));
        if ((type.equals("bind") || type.equals("cache") || type.equals("tmpfs")) && m.target() == null) {
            throw error(l.line, "RUN", "--mount=" + spec + " needs a target (target=/path)");
        }
        if (type.equals("secret") && m.option("id") == null && m.target() == null && m.option("env") == null) {
            throw error(l.line, "RUN", "--mount=" + spec + " needs an id or a target");
        }
        String sharing = m.option("sharing");
        if (sharing != null && !Set.of("shared", "private", "locked").contains(sharing)) {
            throw error(l.line, "RUN", "unsupported sharing=" + sharing + " (use shared, private or locked)");
        }
        return m;
    }

    /** Splits a flag value at commas outside double quotes, removing the quotes (Go's encoding/csv). */
    private static List<String> csv(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private Instruction.Copy copy(Logical l, Flags flags) {
        boolean add = l.keyword.equals("ADD");
        String from = add ? null : flags.string("from");
        String chown = flags.string("chown");
        String chmod = flags.string("chmod");
        boolean link = flags.bool("link");
        boolean parents = flags.bool("parents");
        List<String> excludes = flags.strings("exclude");
        String checksum = add ? flags.string("checksum") : null;
        boolean keepGitDir = add && flags.bool("keep-git-dir");
        List<String> args = jsonOrWords(l);
        if (args.size() < 2) {
            throw error(l.line, l.keyword, l.keyword + " requires at least two arguments (sources and a destination), but "
                    + (args.isEmpty() ? "none was" : "only one was") + " provided");
        }
        List<String> sources = new ArrayList<>();
        List<Heredoc> docs = new ArrayList<>();
        for (String src : args.subList(0, args.size() - 1)) {
            Heredoc doc = heredocFor(l, src);
            if (doc != null) {
                docs.add(doc);
            } else {
                sources.add(src);
            }
        }
        if (checksum != null) {
            if (!checksum.matches("sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}")) {
                throw error(l.line, "ADD", "invalid --checksum=" + checksum + " (expected sha256:<64 hex digits>)");
            }
            if (sources.size() != 1 || !isUrl(sources.get(0))) {
                throw error(l.line, "ADD", "--checksum needs exactly one http(s) URL source");
            }
        }
        if (chmod != null && !chmod.contains("$") && !chmod.matches("[0-7]{3,4}")) {
            throw error(l.line, l.keyword, "invalid --chmod=" + chmod + " (expected an octal mode such as 0755)");
        }
        return new Instruction.Copy(l.line, add, sources, args.get(args.size() - 1), from, chown, chmod, link, parents,
                excludes, checksum, keepGitDir, docs);
    }

    static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://");
    }

    private Heredoc heredocFor(Logical l, String source) {
        Matcher m = HEREDOC.matcher(source);
        if (!m.matches()) {
            return null;
        }
        for (Heredoc h : l.heredocs) {
            if (h.name().equals(m.group(4))) {
                return h;
            }
        }
        return null;
    }

    private Instruction.Arg arg(Logical l) {
        List<String> words = words(requireArgs(l));
        List<ArgDecl> decls = new ArrayList<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? w : w.substring(0, eq);
            if (!ARG_NAME.matcher(name).matches()) {
                throw error(l.line, "ARG", "invalid ARG name \"" + name + "\"");
            }
            decls.add(new ArgDecl(name, eq < 0 ? null : w.substring(eq + 1)));
        }
        return new Instruction.Arg(l.line, decls);
    }

    /** ENV/LABEL: {@code k=v k2="v 2"} pairs, or the legacy {@code KEY value with spaces}. */
    private List<KeyValue> nameValues(Logical l, String keyword) {
        String rest = requireArgs(l);
        List<String> words = words(rest);
        List<KeyValue> out = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = rest.split("[ \t\\x0B\f\r]+", 2);
            if (parts.length < 2) {
                throw error(l.line, keyword, keyword + " must have two arguments (" + keyword + " key=value)");
            }
            if (keyword.equals("ENV")) {
                warn(l.line, "legacy \"ENV key value\" form: prefer ENV key=value");
            }
            out.add(new KeyValue(parts[0], parts[1]));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw error(l.line, keyword, "syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw error(l.line, keyword, keyword + " names can not be blank");
            }
            out.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
        }
        return out;
    }

    private Instruction.Healthcheck healthcheck(Logical l, Flags flags) {
        Duration interval = flags.duration("interval");
        Duration timeout = flags.duration("timeout");
        Duration startPeriod = flags.duration("start-period");
        Duration startInterval = flags.duration("start-interval");
        Integer retries = null;
        String r = flags.string("retries");
        if (r != null) {
            try {
                retries = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw error(l.line, "HEALTHCHECK", "--retries=" + r + " is not a number");
            }
            if (retries < 0) {
                throw error(l.line, "HEALTHCHECK", "--retries cannot be negative (" + r + ")");
            }
        }
        String rest = requireArgs(l);
        String[] parts = rest.split("\\s+", 2);
        String type = parts[0].toUpperCase(Locale.ROOT);
        String cmd = parts.length > 1 ? parts[1].strip() : "";
        List<String> test = new ArrayList<>();
        if (type.equals("NONE")) {
            if (!cmd.isEmpty() || !l.flags.isEmpty()) {
                throw error(l.line, "HEALTHCHECK", "HEALTHCHECK NONE takes no arguments");
            }
            test.add("NONE");
        } else if (type.equals("CMD")) {
            if (cmd.isEmpty()) {
                throw error(l.line, "HEALTHCHECK", "HEALTHCHECK CMD needs a command");
            }
            List<String> exec = jsonOf(l, cmd);
            if (exec != null) {
                test.add("CMD");
                test.addAll(exec);
            } else {
                test.add("CMD-SHELL");
                test.add(cmd);
            }
        } else {
            throw error(l.line, "HEALTHCHECK", "unknown type \"" + parts[0] + "\" in HEALTHCHECK (try CMD or NONE)");
        }
        return new Instruction.Healthcheck(l.line, List.copyOf(test), interval, timeout, startPeriod, startInterval, retries);
    }

    private Instruction.Onbuild onbuild(Logical l) {
        String trigger = requireArgs(l);
        String kw = trigger.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (kw.equals("ONBUILD")) {
            throw error(l.line, "ONBUILD", "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        }
        if (kw.equals("FROM") || kw.equals("MAINTAINER")) {
            throw error(l.line, "ONBUILD", kw + " isn't allowed as an ONBUILD trigger");
        }
        // Parse the trigger now so a typo fails this build, not the one that uses the image.
        Logical inner = split(l.line, trigger);
        if (inner == null) {
            throw error(l.line, "ONBUILD", "ONBUILD requires an instruction");
        }
        instruction(inner);
        warn(l.line, "ONBUILD is recorded in the image config for later builds FROM this image; it does not run in this build");
        return new Instruction.Onbuild(l.line, trigger);
    }

    private String requireArgs(Logical l) {
        if (l.rest.isEmpty()) {
            throw error(l.line, l.keyword, l.keyword + " requires at least one argument");
        }
        return l.rest;
    }

    /** The rest as a JSON string array, or null when it is not JSON (then it is shell form). */
    private List<String> json(Logical l) {
        return jsonOf(l, l.rest);
    }

    private List<String> jsonOf(Logical l, String text) {
        String s = text.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(s);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw error(l.line, l.keyword, "JSON arguments must be an array of strings: " + s);
            }
            out.add(n.asText());
        }
        return List.copyOf(out);
    }

    private List<String> jsonOrWords(Logical l) {
        List<String> json = json(l);
        return json != null ? json : whitespaceWords(l.rest);
    }

    private static List<String> whitespaceWords(String rest) {
        String s = rest.strip();
        return s.isEmpty() ? List.of() : List.of(s.split("[ \t\\x0B\f\r]+"));
    }

    /** BuildKit's parseWords: splits at white space outside quotes, keeping quotes and escapes. */
    List<String> words(String rest) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankOk = false;
        char quote = 0;
        int n = rest.length();
        for (int pos = 0; pos < n; pos++) {
            char ch = rest.charAt(pos);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else if (ch == escape && quote != '\'') {
                    if (pos + 1 == n) {
                        continue;
                    }
                    word.append(ch);
                    ch = rest.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (Character.isWhitespace(ch)) {
                if (inWord && (blankOk || word.length() > 0)) {
                    words.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
                blankOk = false;
                continue;
            }
            inWord = true;
            if (ch == '\'' || ch == '"') {
                quote = ch;
                blankOk = true;
            } else if (ch == escape) {
                if (pos + 1 == n) {
                    continue;
                }
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        if (inWord && (blankOk || word.length() > 0)) {
            words.add(word.toString());
        }
        return words;
    }

    private void warn(int line, String message) {
        warnings.add(new BuildWarning(file, line, message));
    }

    private DockerfileException error(int line, String keyword, String message) {
        return new DockerfileException(file, line, keyword, message);
    }

    /** The {@code --flags} of one instruction: each read at most once; the rest are unknown. */
    private final class Flags {
        private final Logical l;
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        Flags(Logical l) {
            this.l = l;
            for (String f : l.flags) {
                int eq = f.indexOf('=');
                String name = eq < 0 ? f : f.substring(0, eq);
                String value = eq < 0 ? null : unquote(f.substring(eq + 1));
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }

        private String unquote(String v) {
            if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
                return v.substring(1, v.length() - 1);
            }
            return v;
        }

        String string(String name) {
            List<String> v = values.remove(name);
            if (v == null) {
                return null;
            }
            if (v.size() > 1) {
                throw error(l.line, l.keyword, "duplicate flag specified: --" + name);
            }
            if (v.get(0) == null || v.get(0).isEmpty()) {
                throw error(l.line, l.keyword, "missing a value on flag: --" + name);
            }
            return v.get(0);
        }

        List<String> strings(String name) {
            List<String> v = values.remove(name);
            if (v == null) {
                return List.of();
            }
            for (String s : v) {
                if (s == null || s.isEmpty()) {
                    throw error(l.line, l.keyword, "missing a value on flag: --" + name);
                }
            }
            return List.copyOf(v);
        }

        boolean bool(String name) {
            List<String> v = values.remove(name);
            if (v == null) {
                return false;
            }
            String s = v.get(v.size() - 1);
            if (s == null || s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
            throw error(l.line, l.keyword, "expecting boolean value for flag --" + name + ", not: " + s);
        }

        Duration duration(String name) {
            String s = string(name);
            if (s == null) {
                return null;
            }
            Duration d;
            try {
                d = Durations.parse(s);
            } catch (IllegalArgumentException e) {
                throw error(l.line, l.keyword, "--" + name + ": " + e.getMessage());
            }
            if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
                throw error(l.line, l.keyword, "--" + name + "=" + s + " cannot be less than 1ms");
            }
            return d;
        }

        void rejectUnused() {
            if (!values.isEmpty()) {
                String name = values.keySet().iterator().next();
                throw error(l.line, l.keyword, "unknown flag: --" + name);
            }
        }
    }
}
