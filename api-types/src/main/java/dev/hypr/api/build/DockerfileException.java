package dev.hypr.api.build;

/**
 * A Dockerfile the builder cannot use. The message names the file, the line and the instruction
 * ({@code Dockerfile:12: COPY: ...}) so the user can go straight to it.
 */
public final class DockerfileException extends RuntimeException {
    private final String file;
    private final int line;
    private final String instruction;
    private final String detail;

    public DockerfileException(String file, int line, String instruction, String detail) {
        super(format(file, line, instruction, detail));
        this.file = file;
        this.line = line;
        this.instruction = instruction;
        this.detail = detail;
    }

    private static String format(String file, int line, String instruction, String detail) {
        StringBuilder sb = new StringBuilder(file == null ? "Dockerfile" : file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (instruction != null && !instruction.isEmpty()) {
            sb.append(instruction).append(": ");
        }
        return sb.append(detail).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line of the instruction's first line; 0 when the error is about the whole file. */
    public int line() {
        return line;
    }

    /** The instruction keyword (upper case), or null. */
    public String instruction() {
        return instruction;
    }

    /** The message without the location prefix. */
    public String detail() {
        return detail;
    }
}
