package dev.hypr.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The columns {@code get} prints for each kind, normal and {@code -o wide}. */
public final class KindColumns {
    /** One column: header, how to read the cell, and whether only {@code -o wide} shows it. */
    public record Column(String header, BiFunction<JsonNode, Instant, String> cell, boolean wideOnly) {
    }

    private KindColumns() {
    }

    private static Column col(String header, String... paths) {
        return new Column(header, (o, now) -> Fields.textOr(o, Fields.NONE, paths), false);
    }

    private static Column wide(Column c) {
        return new Column(c.header(), c.cell(), true);
    }

    private static final Column NAME = new Column("NAME", (o, now) -> Fields.name(o), false);
    private static final Column PHASE = new Column("PHASE", (o, now) -> Fields.phase(o), false);
    private static final Column AGE = new Column("AGE",
            (o, now) -> Age.since(Fields.text(o, "metadata.creationTimestamp"), now), false);

    private static final Column READY = new Column("READY", (o, now) -> Fields.ready(o), false);

    /** Columns follow the additionalPrinterColumns of the CRDs in crds/, plus kind-specific wide ones. */
    public static List<Column> of(Kind kind) {
        return switch (kind) {
            case VM -> List.of(NAME, PHASE,
                    col("IP", "status.ip"),
                    col("CPUS", "spec.cpus"),
                    new Column("MEMORY", (o, now) -> mebibytes(o, "spec.memoryMiB"), false),
                    new Column("READY", (o, now) -> Fields.vmReady(o), false),
                    AGE,
                    wide(new Column("PORTS", (o, now) -> ports(o.path("spec").path("ports"), o.path("status").path("ports")), false)),
                    wide(new Column("FORWARDS", (o, now) -> forwards(o.path("status").path("forwards")), false)),
                    wide(col("NODE", "spec.nodeName")),
                    wide(col("HYPERVISOR", "status.hypervisor", "spec.hypervisor")),
                    wide(col("PID", "status.pid")),
                    wide(col("IMAGE", "spec.image", "spec.rootfs")),
                    wide(col("RESTARTS", "status.restartCount")),
                    wide(col("WORKLOAD-RESTARTS", "status.workloadRestarts")),
                    wide(col("LAST-EXIT", "status.lastExitCode")));
            case NETWORK -> List.of(NAME, col("SUBNET", "status.subnet", "spec.subnet"),
                    col("GATEWAY", "status.gateway", "spec.gateway"), READY, AGE,
                    wide(col("BRIDGE", "status.bridge")));
            case VOLUME -> List.of(NAME, new Column("SIZE", (o, now) -> mebibytes(o, "spec.sizeMiB"), false),
                    new Column("ATTACHED-TO", (o, now) -> joined(o.path("status").path("attachedTo")), false), READY, AGE,
                    wide(new Column("ALLOCATED", (o, now) -> bytes(Fields.text(o, "status.allocatedBytes")), false)),
                    wide(col("FORMAT", "spec.format")), wide(col("PATH", "status.path")));
            case IMAGE -> List.of(NAME, col("REF", "spec.ref"), READY, AGE,
                    wide(col("DIGEST", "status.digest")),
                    wide(new Column("SIZE", (o, now) -> bytes(Fields.text(o, "status.sizeBytes")), false)),
                    wide(col("PLATFORM", "spec.platform")), wide(col("PULL-POLICY", "spec.pullPolicy")));
            case STACK -> List.of(NAME, PHASE,
                    new Column("SERVICES", (o, now) -> String.valueOf(o.path("spec").path("services").size()), false),
                    col("READY", "status.servicesReady"), AGE,
                    wide(new Column("SERVICE-NAMES", (o, now) -> names(o.path("spec").path("services")), false)));
            case SYNC -> List.of(NAME,
                    col("SOURCE", "spec.source.path", "spec.source.git.url"),
                    new Column("INTERVAL", (o, now) -> {
                        String s = Fields.text(o, "spec.intervalSeconds");
                        return s == null ? Fields.NONE : s + "s";
                    }, false),
                    col("REVISION", "status.lastAppliedRevision"),
                    READY,
                    new Column("LAST-SYNC", (o, now) -> {
                        String t = Fields.text(o, "status.lastAppliedTime");
                        return t == null ? Fields.NONE : Age.since(t, now);
                    }, false),
                    AGE,
                    wide(col("SUSPENDED", "spec.suspend")), wide(col("PRUNE", "spec.prune")),
                    wide(col("GIT-REF", "spec.source.git.ref")));
            case NODE -> List.of(NAME,
                    new Column("STATUS", (o, now) -> nodeStatus(o), false),
                    new Column("CPUS", (o, now) -> Fields.textOr(o, "0", "status.allocated.cpus") + "/"
                            + Fields.textOr(o, Fields.NONE, "status.capacity.cpus"), false),
                    new Column("MEMORY", (o, now) -> mebibytes(o, "status.allocated.memoryMiB") + "/"
                            + mebibytes(o, "status.capacity.memoryMiB"), false),
                    new Column("VMS", (o, now) -> Fields.textOr(o, "0", "status.allocated.vms"), false),
                    AGE,
                    wide(new Column("HYPERVISORS", (o, now) -> joined(o.path("status").path("hypervisors")), false)),
                    wide(col("KVM", "status.kvm")),
                    wide(new Column("ADDRESSES", (o, now) -> addresses(o.path("status").path("addresses")), false)));
        };
    }

    /** kubectl's node STATUS: Ready / NotReady / Unknown, plus ",SchedulingDisabled" when cordoned. */
    static String nodeStatus(JsonNode o) {
        String ready = "Unknown";
        for (JsonNode c : o.path("status").path("conditions")) {
            if ("Ready".equals(c.path("type").asText())) {
                ready = switch (c.path("status").asText()) {
                    case "True" -> "Ready";
                    case "False" -> "NotReady";
                    default -> "Unknown";
                };
            }
        }
        return o.path("spec").path("unschedulable").asBoolean(false) ? ready + ",SchedulingDisabled" : ready;
    }

    private static String addresses(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(a -> out.add(a.path("address").asText("?")));
        return out.isEmpty() ? Fields.NONE : String.join(",", out);
    }

    /** A list of strings as a,b; a single string as it is. */
    private static String joined(JsonNode value) {
        if (!value.isArray()) {
            return value.isMissingNode() || value.isNull() ? Fields.NONE : value.asText();
        }
        List<String> out = new ArrayList<>();
        value.forEach(v -> out.add(v.asText()));
        return out.isEmpty() ? Fields.NONE : String.join(",", out);
    }

    private static String names(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path("name").asText("?")));
        return out.isEmpty() ? Fields.NONE : String.join(",", out);
    }

    /** 1.2Gi, 340Mi, 12Ki, 512 */
    static String bytes(String value) {
        if (value == null) {
            return Fields.NONE;
        }
        try {
            double b = Double.parseDouble(value);
            String[] units = {"", "Ki", "Mi", "Gi", "Ti"};
            int u = 0;
            while (b >= 1024 && u < units.length - 1) {
                b /= 1024;
                u++;
            }
            return u == 0 ? String.valueOf((long) b) : (b >= 10 ? String.valueOf(Math.round(b))
                    : String.format(java.util.Locale.ROOT, "%.1f", b)) + units[u];
        } catch (NumberFormatException e) {
            return value;
        }
    }

    public static List<Column> of(Kind kind, boolean wide) {
        List<Column> cols = new ArrayList<>();
        for (Column c : of(kind)) {
            if (wide || !c.wideOnly()) {
                cols.add(c);
            }
        }
        return cols;
    }

    public static List<String> headers(List<Column> cols) {
        return cols.stream().map(Column::header).toList();
    }

    public static List<String> cells(List<Column> cols, JsonNode obj, Instant now) {
        return cols.stream().map(c -> {
            String v = c.cell().apply(obj, now);
            return v == null || v.isEmpty() ? Fields.NONE : v;
        }).toList();
    }

    private static String mebibytes(JsonNode o, String path) {
        String v = Fields.text(o, path);
        return v == null ? Fields.NONE : v + "Mi";
    }

    /**
     * The forwards in place ({@code status.forwards}): {@code 127.0.0.1:8080->10.88.0.2:80/tcp}, with the
     * state appended when it is not Exposed: {@code 127.0.0.1:8080->10.88.0.2:80/tcp(PortConflict)}.
     */
    public static String forwards(JsonNode forwards) {
        if (!forwards.isArray() || forwards.isEmpty()) {
            return Fields.NONE;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode f : forwards) {
            String state = Fields.textOr(f, "Exposed", "state");
            out.add(Fields.textOr(f, "0.0.0.0", "hostIP") + ":" + Fields.textOr(f, "?", "hostPort") + "->"
                    + Fields.textOr(f, "?", "target") + "/" + Fields.textOr(f, "TCP", "protocol").toLowerCase()
                    + ("Exposed".equals(state) ? "" : "(" + state + ")"));
        }
        return String.join(",", out);
    }

    /**
     * {@code 8080:80/tcp,127.0.0.1:5353:53/udp}; a port without hostPort shows the ephemeral one
     * hyprd picked ({@code status.ports}) with a {@code ~}: {@code 127.0.0.1:~41234:80/tcp}.
     */
    static String ports(JsonNode ports, JsonNode assigned) {
        if (!ports.isArray() || ports.isEmpty()) {
            return Fields.NONE;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode p : ports) {
            StringBuilder sb = new StringBuilder();
            String hostIp = Fields.text(p, "hostIP");
            if (hostIp != null && !"0.0.0.0".equals(hostIp)) {
                sb.append(hostIp).append(':');
            }
            String host = Fields.text(p, "hostPort");
            if (host == null) {
                host = ephemeral(p, assigned);
            }
            if (host != null) {
                sb.append(host).append(':');
            }
            sb.append(Fields.textOr(p, "?", "guestPort"));
            sb.append('/').append(Fields.textOr(p, "TCP", "protocol").toLowerCase());
            out.add(sb.toString());
        }
        return String.join(",", out);
    }

    /** {@code ~PORT} when status.ports holds the ephemeral port picked for this spec entry, else null. */
    private static String ephemeral(JsonNode spec, JsonNode assigned) {
        for (JsonNode a : assigned.isArray() ? assigned : Json.MAPPER.createArrayNode()) {
            if (a.path("ephemeral").asBoolean() && a.path("guestPort").asInt() == spec.path("guestPort").asInt()
                    && Fields.textOr(a, "0.0.0.0", "hostIP").equals(Fields.textOr(spec, "0.0.0.0", "hostIP"))
                    && Fields.textOr(a, "TCP", "protocol").equalsIgnoreCase(Fields.textOr(spec, "TCP", "protocol"))) {
                return "~" + a.path("hostPort").asText();
            }
        }
        return null;
    }
}
