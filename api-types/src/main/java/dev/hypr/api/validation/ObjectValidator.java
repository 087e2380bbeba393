package dev.hypr.api.validation;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hypr.api.Kind;
import dev.hypr.api.codec.Manifest;
import dev.hypr.api.codec.ManifestError;
import dev.hypr.api.crd.Crd;
import dev.hypr.api.crd.CrdCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validates objects against the CRD schemas in crds/ and the rules a schema cannot say, in the
 * order a reader fixes them: identity (apiVersion, kind), schema, then semantic rules.
 */
public final class ObjectValidator {
    private static final Comparator<ManifestError> BY_POSITION = Comparator
            .comparingInt((ManifestError e) -> e.position().line()).thenComparingInt(e -> e.position().column());

    private final CrdCatalog catalog;
    private final Map<Kind, Schema> schemas = new EnumMap<>(Kind.class);
    private final Map<Kind, List<ObjectRule>> rules = new EnumMap<>(Kind.class);
    private final ObjectRule identity = new IdentityRules();

    private ObjectValidator(CrdCatalog catalog) {
        this.catalog = catalog;
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        for (Crd crd : catalog.all()) {
            schemas.put(crd.kind(), registry.getSchema(JsonSchemaTranslator.translate(crd.objectSchema())));
            rules.put(crd.kind(), List.of());
        }
        rules.put(Kind.VM, List.of(new VmRules()));
        rules.put(Kind.NETWORK, List.of(new NetworkRules()));
        rules.put(Kind.STACK, List.of(new StackRules()));
        rules.put(Kind.SYNC, List.of(new SyncRules()));
    }

    private static volatile ObjectValidator standard;

    /**
     * The validator for the CRDs shipped in this jar, built once: compiling the schemas costs
     * tens of milliseconds, and validating holds no state between calls.
     */
    public static ObjectValidator standard() {
        ObjectValidator v = standard;
        if (v == null) {
            synchronized (ObjectValidator.class) {
                v = standard;
                if (v == null) {
                    v = new ObjectValidator(CrdCatalog.standard());
                    standard = v;
                }
            }
        }
        return v;
    }

    /** Validates one object; when it is valid, fills schema defaults into {@code manifest.object()} in place. */
    public List<ManifestError> validate(Manifest manifest) {
        List<ManifestError> errors = new ArrayList<>();
        checkApiVersion(manifest, errors);
        Kind kind = checkKind(manifest, errors);
        if (kind == null) {
            return errors;
        }
        Crd crd = catalog.crd(kind);
        schemas.get(kind).validate(manifest.object())
                .forEach(e -> errors.add(SchemaErrorMessages.toManifestError(manifest, e)));
        identity.check(manifest, errors);
        if (errors.isEmpty()) {
            // Semantic rules read typed values, so they run only on schema-valid objects.
            ListMapKeys.check(crd.objectSchema(), manifest, "", errors);
            rules.get(kind).forEach(rule -> rule.check(manifest, errors));
        }
        if (errors.isEmpty()) {
            SchemaDefaults.apply(crd.objectSchema(), manifest.object());
        }
        errors.sort(BY_POSITION);
        return errors;
    }

    /** Validates every object and also rejects a second object with the same kind and name. */
    public List<ManifestError> validateAll(List<Manifest> manifests) {
        List<ManifestError> errors = new ArrayList<>();
        Map<String, Manifest> firstByRef = new HashMap<>();
        for (Manifest m : manifests) {
            errors.addAll(validate(m));
            Manifest first = firstByRef.putIfAbsent(m.ref(), m);
            if (first != null) {
                errors.add(new ManifestError(m.position(), m.ref(), "",
                        "duplicate object: " + m.ref() + " is already defined at " + first.position()));
            }
        }
        return errors;
    }

    private static void checkApiVersion(Manifest m, List<ManifestError> errors) {
        if (!m.object().has("apiVersion")) {
            errors.add(m.errorAt("", "apiVersion is missing (want " + Kind.API_VERSION + ")"));
        } else if (!Kind.API_VERSION.equals(m.object().get("apiVersion").asText())) {
            errors.add(m.errorAt("/apiVersion", "unsupported apiVersion \"" + m.object().get("apiVersion").asText()
                    + "\" (want " + Kind.API_VERSION + ")"));
        }
    }

    private static Kind checkKind(Manifest m, List<ManifestError> errors) {
        String validKinds = Arrays.stream(Kind.values()).map(Kind::kindName).collect(Collectors.joining(", "));
        if (!m.object().has("kind")) {
            errors.add(m.errorAt("", "kind is missing (one of " + validKinds + ")"));
            return null;
        }
        String kind = m.object().get("kind").asText();
        return Kind.fromKindName(kind).orElseGet(() -> {
            String hint = Kind.lookup(kind).map(k -> "; did you mean " + k.kindName() + "?").orElse("");
            errors.add(m.errorAt("/kind", "unknown kind \"" + kind + "\" (one of " + validKinds + ")" + hint));
            return null;
        });
    }
}
