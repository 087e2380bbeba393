package dev.hypr.controller.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Json;
import dev.hypr.api.Kind;
import dev.hypr.controller.store.ObjectList;
import dev.hypr.controller.store.ObjectStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Read-only REST view of the store, shaped like the Kubernetes API (127.0.0.1 only, behind
 * {@link RestAccessFilter}); secrets are redacted ({@link Redaction}).
 */
@Path("/apis/" + Kind.API_VERSION)
@Produces(MediaType.APPLICATION_JSON)
public class RestGateway {

    @Inject
    ObjectStore store;

    @GET
    @Path("/{plural}")
    public Response list(@PathParam("plural") String plural, @QueryParam("labelSelector") String selector) {
        Optional<Kind> kind = byPlural(plural);
        if (kind.isEmpty()) {
            return status(404, "NotFound", "the server could not find the requested resource \"" + plural + "\"");
        }
        ObjectList list;
        try {
            list = store.list(kind.get(), Selectors.labelFilter(selector));
        } catch (io.grpc.StatusRuntimeException e) {
            return status(400, "BadRequest", e.getStatus().getDescription());
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("apiVersion", Kind.API_VERSION);
        body.put("kind", kind.get().kindName() + "List");
        body.putObject("metadata").put("resourceVersion", Long.toString(list.revision()));
        ArrayNode items = body.putArray("items");
        list.items().forEach(o -> items.add(Redaction.redact(o)));
        return Response.ok(Json.write(body)).build();
    }

    @GET
    @Path("/{plural}/{name}")
    public Response get(@PathParam("plural") String plural, @PathParam("name") String name) {
        Optional<Kind> kind = byPlural(plural);
        if (kind.isEmpty()) {
            return status(404, "NotFound", "the server could not find the requested resource \"" + plural + "\"");
        }
        return store.get(kind.get(), name)
                .map(o -> Response.ok(Json.write(Redaction.redact(o))).build())
                .orElseGet(() -> status(404, "NotFound", plural + " \"" + name + "\" not found"));
    }

    private static Optional<Kind> byPlural(String plural) {
        for (Kind k : Kind.values()) {
            if (k.plural().equals(plural)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** A Kubernetes-style Status body, so API clients can read errors the usual way. */
    private static Response status(int code, String reason, String message) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("apiVersion", "v1");
        s.put("kind", "Status");
        s.put("status", "Failure");
        s.put("reason", reason);
        s.put("message", message);
        s.put("code", code);
        return Response.status(code).entity(Json.write(s)).type(MediaType.APPLICATION_JSON).build();
    }
}
