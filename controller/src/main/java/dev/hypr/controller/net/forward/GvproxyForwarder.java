package dev.hypr.controller.net.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.controller.vmm.HostForward;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * gvproxy's forwarder API (gvisor-tap-vsock) on its Unix socket. gvproxy keeps forwards only in
 * memory, so after it restarts {@link #list()} is empty and the reconciler exposes everything
 * again: re-exposing on restart needs no code of its own. gvproxy does not know which VM a
 * forward belongs to; {@code ownerOf} maps a remote address back to the VM name.
 */
public final class GvproxyForwarder implements Forwarder {
    static final String ALREADY_RUNNING = "proxy already running";
    static final String NOT_FOUND = "proxy not found";

    private final UnixHttpClient http;
    private final Function<String, String> ownerOf;

    public GvproxyForwarder(Path socket, Function<String, String> ownerOf) {
        this.http = new UnixHttpClient(socket);
        this.ownerOf = ownerOf;
    }

    @Override
    public String name() {
        return "gvproxy";
    }

    @Override
    public List<Forward> list() throws ForwardException {
        UnixHttpClient.Response r = call(() -> http.get("/services/forwarder/all"));
        List<Forward> out = new ArrayList<>();
        try {
            for (JsonNode n : Json.MAPPER.readTree(r.body())) {
                String[] local = splitHostPort(n.path("local").asText());
                String[] remote = splitHostPort(n.path("remote").asText());
                HostForward.Protocol proto = HostForward.Protocol.valueOf(n.path("protocol").asText("tcp").toUpperCase(Locale.ROOT));
                out.add(new Forward(ownerOf.apply(remote[0]), proto, local[0], Integer.parseInt(local[1]), remote[0],
                        Integer.parseInt(remote[1])));
            }
        } catch (IOException | RuntimeException e) {
            throw new ForwardException("gvproxy: unreadable forward list: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void expose(Forward f) throws ForwardException {
        ObjectNode body = request(f).put("remote", f.targetIP() + ":" + f.targetPort());
        UnixHttpClient.Response r = call(() -> http.post("/services/forwarder/expose", Json.write(body)));
        if (r.ok() || r.body().contains(ALREADY_RUNNING)) {
            return;
        }
        if (r.body().contains("cannot assign requested address")
                || (!r.ok() && !HostAddressMissingException.isLocal(f.hostIP()))) {
            throw new HostAddressMissingException(f);
        }
        if (r.body().contains("address already in use")) {
            throw new PortConflictException(f, "gvproxy: " + r.body().trim());
        }
        throw new ForwardException("gvproxy expose " + f + ": HTTP " + r.status() + " " + r.body().trim());
    }

    @Override
    public void unexpose(Forward f) throws ForwardException {
        UnixHttpClient.Response r = call(() -> http.post("/services/forwarder/unexpose", Json.write(request(f))));
        if (!r.ok() && !r.body().contains(NOT_FOUND)) {
            throw new ForwardException("gvproxy unexpose " + f + ": HTTP " + r.status() + " " + r.body().trim());
        }
    }

    /** local and protocol: always send protocol, gvproxy would otherwise assume tcp. */
    private static ObjectNode request(Forward f) {
        String host = PublishedPorts.ANY_ADDRESS.equals(f.hostIP()) ? "" : f.hostIP();
        return Json.MAPPER.createObjectNode().put("local", host + ":" + f.hostPort()).put("protocol", f.protocolName());
    }

    /** "127.0.0.1:8080" or ":8080" (every address). */
    static String[] splitHostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("no port in " + s);
        }
        String host = s.substring(0, colon);
        return new String[] {host.isEmpty() ? PublishedPorts.ANY_ADDRESS : host, s.substring(colon + 1)};
    }

    private interface Call {
        UnixHttpClient.Response run() throws IOException;
    }

    private static UnixHttpClient.Response call(Call c) throws ForwardException {
        try {
            return c.run();
        } catch (IOException e) {
            throw new ForwardException("gvproxy API: " + e.getMessage(), e);
        }
    }
}
