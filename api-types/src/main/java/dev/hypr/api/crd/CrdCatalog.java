package dev.hypr.api.crd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.ManifestReader;
import dev.hypr.api.codec.ReadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** The CRDs shipped in the api-types jar ({@code /crds/<singular>.yaml}), one per {@link Kind}. */
public final class CrdCatalog {
    static final String OBJECT_META_SCHEMA = "/schemas/object-meta.yaml";

    private static volatile CrdCatalog standard;

    private final Map<Kind, Crd> crds;

    private CrdCatalog(Map<Kind, Crd> crds) {
        this.crds = Map.copyOf(crds);
    }

    /** Loaded once per class loader; the files never change at run time. */
    public static CrdCatalog standard() {
        CrdCatalog c = standard;
        if (c == null) {
            c = load();
            standard = c;
        }
        return c;
    }

    public Crd crd(Kind kind) {
        return crds.get(kind);
    }

    public Collection<Crd> all() {
        return new EnumMap<>(crds).values();
    }

    private static CrdCatalog load() {
        ObjectNode objectMeta = readResource(OBJECT_META_SCHEMA);
        Map<Kind, Crd> crds = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            ObjectNode definition = readResource("/crds/" + kind.singular() + ".yaml");
            ObjectNode schema = definition.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
            ((ObjectNode) schema.get("properties")).set("metadata", objectMeta.deepCopy());
            crds.put(kind, new Crd(kind, definition, schema));
        }
        return new CrdCatalog(crds);
    }

    private static ObjectNode readResource(String resource) {
        try (InputStream in = CrdCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath (is crds/ packaged?)");
            }
            ReadResult result = ManifestReader.read(resource, in.readAllBytes());
            if (!result.ok() || result.manifests().size() != 1) {
                throw new IllegalStateException("broken built-in schema: " + result.errors());
            }
            return result.manifests().get(0).object();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
